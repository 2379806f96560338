package io.github.jglommio.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the harness suites: a header, a rule, and rows; columns as wide as their
 * widest cell, numbers right-aligned. ASCII only, so it reads the same on any console. Single
 * thread.
 */
final class TextTable {

    private final String[] header;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column headers; every column but the first is right-aligned (numbers). */
    TextTable(String... header) {
        this.header = header.clone();
        this.rightAligned = new boolean[header.length];
        for (int i = 1; i < header.length; i++) {
            rightAligned[i] = true;
        }
    }

    /** Left-aligns the first {@code columns} columns (labels); the others stay right-aligned. */
    TextTable labelColumns(int columns) {
        for (int i = 0; i < rightAligned.length; i++) {
            rightAligned[i] = i >= columns;
        }
        return this;
    }

    /** Adds a row of exactly one cell per column. */
    TextTable add(String... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("a row needs " + header.length + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    /** Prints the table, each line starting with {@code indent}. */
    void print(PrintStream out, String indent) {
        int[] widths = new int[header.length];
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(rows);
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (int l = 0; l < lines.size(); l++) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < widths.length; i++) {
                String cell = lines.get(l)[i];
                String fill = " ".repeat(widths[i] - cell.length());
                sb.append(rightAligned[i] ? fill + cell : cell + fill).append("  ");
            }
            String line = sb.toString().stripTrailing();
            out.println(line);
            if (l == 0) {
                out.println(indent + "-".repeat(line.length() - indent.length()));
            }
        }
    }
}
