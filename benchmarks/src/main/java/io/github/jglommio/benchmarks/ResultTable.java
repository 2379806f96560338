package io.github.jglommio.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;

/**
 * Prints a JMH suite's results as tables, one per {@link Suite.Section}: operation, jglommio score
 * +/- error, peer score +/- error, and the verdict. The error is JMH's 99.9% confidence half-width.
 * The tables share their column widths, so they read as one. ASCII only, so it reads the same on
 * any console.
 */
final class ResultTable {

    private ResultTable() {
    }

    /**
     * @param results primary results by benchmark ({@code Class.method}); a missing one failed
     */
    static void print(PrintStream out, Suite suite, Map<String, Result<?>> results) {
        List<List<String[]>> tables = new ArrayList<>();
        for (Suite.Section section : suite.sections()) {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"operation", "jglommio", section.peerHeader(), "ratio"});
            for (Suite.Comparison row : section.rows()) {
                lines.add(line(row, results));
            }
            tables.add(lines);
        }
        int[] widths = new int[4];
        for (List<String[]> lines : tables) {
            for (String[] line : lines) {
                for (int i = 0; i < line.length; i++) {
                    widths[i] = Math.max(widths[i], line[i].length());
                }
            }
        }
        for (int t = 0; t < tables.size(); t++) {
            if (t > 0) {
                out.println();
            }
            printTable(out, tables.get(t), widths);
        }
    }

    private static String[] line(Suite.Comparison row, Map<String, Result<?>> results) {
        Result<?> ours = results.get(row.jglommio());
        Result<?> theirs = row.jdk() == null ? null : results.get(row.jdk());
        String verdict;
        if (row.jdk() == null) {
            verdict = "no JDK peer";
        } else if (ours == null || theirs == null) {
            verdict = "-";
        } else {
            verdict = row.verdict(ours, theirs);
        }
        return new String[] {
                row.operation(),
                ours == null ? "FAILED" : format(ours),
                row.jdk() == null ? "-" : theirs == null ? "FAILED" : format(theirs),
                verdict};
    }

    private static void printTable(PrintStream out, List<String[]> lines, int[] widths) {
        for (int l = 0; l < lines.size(); l++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                boolean numeric = l > 0 && (i == 1 || i == 2);
                sb.append(pad(lines.get(l)[i], widths[i], numeric)).append("  ");
            }
            String line = sb.toString().stripTrailing();
            out.println(line);
            if (l == 0) {
                out.println("-".repeat(line.length()));
            }
        }
    }

    /**
     * {@code "1.23 M +/- 0.04 M ops/s"} for rates, {@code "1062.3 +/- 4.1 us/op"} for times,
     * {@code "2.47 +/- 0.03 ns/op"} for times under 100 (a tenth is too coarse there).
     */
    static String format(Result<?> r) {
        double score = r.getScore();
        double error = r.getScoreError();   // NaN with a single measurement iteration
        String unit = r.getScoreUnit();
        boolean rate = unit.startsWith("ops/");
        double scale = 1;
        String prefix = "";
        if (rate && score >= 1e6) {
            scale = 1e6;
            prefix = " M";
        } else if (rate && score >= 1e3) {
            scale = 1e3;
            prefix = " k";
        }
        String number = rate || score < 100 ? "%.2f" : "%.1f";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, number, score / scale)).append(prefix);
        if (!Double.isNaN(error)) {
            sb.append(" +/- ").append(String.format(Locale.ROOT, number, error / scale)).append(prefix);
        }
        return sb.append(' ').append(unit).toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
