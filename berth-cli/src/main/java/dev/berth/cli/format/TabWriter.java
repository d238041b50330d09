package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Elastic tab stops as Go's {@code text/tabwriter} lays them out with the settings every docker
 * table uses ({@code NewWriter(out, 10, 1, 3, ' ', 0)}): each tab ends a cell, a column is as
 * wide as its widest cell plus 3 and at least 10, and a column runs only over consecutive lines
 * that have a cell in it. The text after a line's last tab is not part of any column. A line
 * without tabs ends every column, as in Go.
 */
public final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final StringBuilder out = new StringBuilder();
    private final List<List<String>> lines = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();

    public TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** Docker's table settings: minimum width 10, padding 3. */
    public static TabWriter docker() {
        return new TabWriter(10, 3);
    }

    public TabWriter write(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                List<String> cells = splitCells(pending.toString());
                pending.setLength(0);
                lines.add(cells);
                if (cells.size() == 1) {
                    // Go flushes on a line with a single cell: it closes all open columns
                    formatLines();
                }
            } else {
                pending.append(c);
            }
        }
        return this;
    }

    /** Lays out everything written so far and returns the text. */
    public String flush() {
        if (!pending.isEmpty()) {
            lines.add(splitCells(pending.toString()));
            pending.setLength(0);
            formatLines();
            // the last line had no newline: drop the one writeLines added
            out.setLength(out.length() - 1);
        } else {
            formatLines();
        }
        String text = out.toString();
        out.setLength(0);
        return text;
    }

    private static List<String> splitCells(String line) {
        List<String> cells = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\t') {
                cells.add(line.substring(start, i));
                start = i + 1;
            }
        }
        cells.add(line.substring(start));
        return cells;
    }

    private void formatLines() {
        format(new ArrayList<>(), 0, lines.size());
        lines.clear();
    }

    private void format(List<Integer> widths, int line0, int line1) {
        int column = widths.size();
        for (int current = line0; current < line1; current++) {
            if (column >= lines.get(current).size() - 1) {
                continue;
            }
            writeLines(widths, line0, current);
            line0 = current;
            int width = minWidth;
            for (; current < line1; current++) {
                List<String> line = lines.get(current);
                if (column >= line.size() - 1) {
                    break;
                }
                width = Math.max(width, runes(line.get(column)) + padding);
            }
            widths.add(width);
            format(widths, line0, current);
            widths.removeLast();
            line0 = current;
        }
        writeLines(widths, line0, line1);
    }

    private void writeLines(List<Integer> widths, int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<String> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                String cell = line.get(j);
                out.append(cell);
                if (j < widths.size()) {
                    out.repeat(' ', Math.max(0, widths.get(j) - runes(cell)));
                }
            }
            out.append('\n');
        }
    }

    private static int runes(String s) {
        return s.codePointCount(0, s.length());
    }
}
