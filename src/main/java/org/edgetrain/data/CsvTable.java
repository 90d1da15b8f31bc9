package org.edgetrain.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgetrain.BadInputException;

/**
 * A numeric CSV file with a header: comma-separated, fields optionally in double quotes ({@code ""} escapes a quote),
 * blank lines skipped. Cells that are empty or {@code NaN} are kept as NaN (missing) so a caller can decide; anything
 * else that is not a number is an error naming the file, line and column.
 */
public final class CsvTable {
    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> index = new HashMap<>();
    private final float[] values;
    private final int[] lines;
    private final int rows;

    private CsvTable(Path file, List<String> header, float[] values, int[] lines, int rows) {
        this.file = file;
        this.header = List.copyOf(header);
        for (int i = 0; i < header.size(); i++) index.put(header.get(i), i);
        this.values = values;
        this.lines = lines;
        this.rows = rows;
    }

    public static CsvTable read(Path file) {
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
            return read(file, in);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": data file not found");
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    static CsvTable read(Path file, BufferedReader in) throws IOException {
        String line;
        int lineNo = 0;
        List<String> header = null;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // byte-order mark from spreadsheet exports
            if (!line.isBlank()) {
                header = split(line, file, lineNo);
                break;
            }
        }
        if (header == null) throw new BadInputException(file + ": empty file; expected a header line with column names");
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).strip();
            header.set(i, h);
            if (h.isEmpty()) throw new BadInputException(file + ":" + lineNo + ": column " + (i + 1) + " has an empty name in the header");
            try {
                Float.parseFloat(h);
                throw new BadInputException(file + ":" + lineNo + ": the first line must be a header of column names, found the number '"
                        + h + "' in column " + (i + 1));
            } catch (NumberFormatException expected) {
                // a name, as it should be
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.indexOf(header.get(i)) != i) {
                throw new BadInputException(file + ":" + lineNo + ": column name '" + header.get(i) + "' appears twice in the header");
            }
        }
        int cols = header.size();
        float[] values = new float[cols * 256];
        int[] lines = new int[256];
        int rows = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            List<String> fields = split(line, file, lineNo);
            if (fields.size() != cols) {
                throw new BadInputException(file + ":" + lineNo + ": found " + fields.size() + " fields, the header has " + cols);
            }
            if ((rows + 1) * cols > values.length) values = Arrays.copyOf(values, values.length * 2);
            if (rows == lines.length) lines = Arrays.copyOf(lines, lines.length * 2);
            for (int j = 0; j < cols; j++) values[rows * cols + j] = parse(fields.get(j), file, lineNo, header.get(j));
            lines[rows] = lineNo;
            rows++;
        }
        return new CsvTable(file, header, Arrays.copyOf(values, rows * cols), Arrays.copyOf(lines, rows), rows);
    }

    private static float parse(String field, Path file, int line, String column) {
        String s = field.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("na")) return Float.NaN;
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new BadInputException(file + ":" + line + ": column '" + column + "': found '" + s
                    + "', expected a number (or an empty cell / NaN for a missing value)");
        }
    }

    /** Splits one CSV line, honouring double quotes. */
    static List<String> split(String line, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) throw new BadInputException(file + ":" + lineNo + ": a quoted field is not closed");
        out.add(cur.toString());
        return out;
    }

    public Path file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public int rows() {
        return rows;
    }

    /** Column index of a name, or -1. */
    public int column(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    public float value(int row, int column) {
        return values[row * header.size() + column];
    }

    /** Line number in the file of a data row, for error messages. */
    public int line(int row) {
        return lines[row];
    }
}
