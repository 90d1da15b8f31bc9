package org.edgetrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.loss.LossKind;
import org.edgetrain.train.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path tmp;

    private Path csv(String text) throws Exception {
        Path f = tmp.resolve("d.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void quotedFieldsBlankLinesAndByteOrderMarkAreRead() throws Exception {
        CsvTable t = CsvTable.read(csv("\uFEFFx,\"y, quoted\",\"say \"\"z\"\"\"\n\n1,2.5,\"-3e2\"\n4,,NaN\n"));
        assertEquals(List.of("x", "y, quoted", "say \"z\""), t.header());
        assertEquals(2, t.rows());
        assertEquals(-300f, t.value(0, 2));
        assertTrue(Float.isNaN(t.value(1, 1)));
        assertEquals(4, t.line(1));
    }

    @Test
    void errorsNameFileLineAndColumn() throws Exception {
        assertMessage("a,b\n1,2\n3\n", "d.csv:3: found 1 fields, the header has 2");
        assertMessage("a,b\n1,x2\n", "d.csv:2: column 'b': found 'x2', expected a number");
        assertMessage("a,a\n1,2\n", "d.csv:1: column name 'a' appears twice");
        assertMessage("1,2\n3,4\n", "d.csv:1: the first line must be a header of column names, found the number '1'");
        assertMessage("", "d.csv: empty file");
        assertMessage("a,b\n\"1,2\n", "d.csv:2: a quoted field is not closed");
    }

    @Test
    void trainingRefusesMissingValuesAndLabelsOutOfRange() throws Exception {
        CsvTable t = CsvTable.read(csv("f1,f2,label\n1,2,0\n3,,1\n"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataLoader.load(t, null, List.of("label"), LossKind.CROSS_ENTROPY, 2));
        assertTrue(e.getMessage().contains("d.csv:3: column 'f2': found a missing value (empty or NaN)"), e.getMessage());

        CsvTable u = CsvTable.read(csv("f1,label\n1,0\n3,1.5\n"));
        e = assertThrows(BadInputException.class, () -> DataLoader.load(u, null, List.of("label"), LossKind.CROSS_ENTROPY, 2));
        assertTrue(e.getMessage().contains("d.csv:3: column 'label': found 1.5, expected a class index 0..1"), e.getMessage());

        CsvTable v = CsvTable.read(csv("f1,label\n1,0\n3,2\n"));
        e = assertThrows(BadInputException.class, () -> DataLoader.load(v, null, List.of("label"), LossKind.BCE, 1));
        assertTrue(e.getMessage().contains("found 2, expected 0 or 1 for loss bce"), e.getMessage());
    }

    @Test
    void featuresAreEveryOtherColumnInOrderUnlessListed() throws Exception {
        CsvTable t = CsvTable.read(csv("a,label,b,c\n1,1,2,3\n4,0,5,6\n"));
        Dataset all = DataLoader.load(t, null, List.of("label"), LossKind.CROSS_ENTROPY, 2);
        assertEquals(List.of("a", "b", "c"), all.featureNames());
        assertEquals(5f, all.x()[4]);
        Dataset some = DataLoader.load(t, List.of("c", "a"), List.of("label"), LossKind.CROSS_ENTROPY, 2);
        assertEquals(6f, some.x()[2]);
        assertEquals(4f, some.x()[3]);
        assertEquals(0f, some.y()[1]);
    }

    private void assertMessage(String text, String expected) throws Exception {
        Path f = csv(text);
        BadInputException e = assertThrows(BadInputException.class, () -> CsvTable.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
