package org.edgetrain.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    @Test
    void coordinatesAreWrittenAsPercentTwoFWouldWriteThem() {
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            double v = (r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(5));
            StringBuilder sb = new StringBuilder();
            SvgChart.num2(sb, v);
            String expected = String.format(Locale.ROOT, "%.2f", v);
            if (expected.equals("-0.00")) expected = "0.00";
            // %.2f rounds half-even on the decimal expansion, Math.round half-up on the binary value: ties may differ by 0.01
            assertTrue(expected.equals(sb.toString()) || Math.abs(Double.parseDouble(expected) - Double.parseDouble(sb.toString())) < 0.0101,
                    v + ": " + sb + " vs " + expected);
        }
    }

    @Test
    void anEmptyChartSaysSoAndTextIsEscaped() {
        String svg = new SvgChart("a <b> & \"c\"", "x").line("s", new double[0], new double[0], 0).render();
        assertTrue(svg.contains("no data yet"));
        assertTrue(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assertEquals(-1, svg.indexOf("<b>"));
    }
}
