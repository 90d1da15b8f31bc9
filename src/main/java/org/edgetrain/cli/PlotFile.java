package org.edgetrain.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.train.EpochReport;
import org.edgetrain.util.SvgChart;

/** The SVG files of {@code train --plot} and {@code doctor --plot}: a standalone SVG document each. */
final class PlotFile {
    private PlotFile() {
    }

    /** The epoch curves: training loss, and the validation loss where there is one. */
    static String epochs(List<EpochReport> reports) {
        int n = reports.size();
        double[] x = new double[n], train = new double[n], val = new double[n];
        boolean hasVal = false;
        for (int i = 0; i < n; i++) {
            EpochReport r = reports.get(i);
            x[i] = r.epoch();
            train[i] = r.trainLoss();
            val[i] = r.validation() == null ? Double.NaN : r.validation().loss();
            hasVal |= r.validation() != null;
        }
        SvgChart c = new SvgChart("Loss per epoch", "epoch").line("training loss", x, train, n);
        if (hasVal) c.line("validation loss", x, val, n);
        return c.render();
    }

    static void write(Path file, String svg) {
        try {
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("--plot: cannot write " + file + ": " + e.getMessage());
        }
    }
}
