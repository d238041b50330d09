package dev.berth.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of Go's text/tabwriter that runc's {@code list} uses (minwidth 12, tabwidth 1,
 * padding 3, padding with spaces, no flags): each tab-terminated cell is padded to its column's
 * widest cell plus padding, never narrower than minwidth; the last cell of a line is printed as
 * it is. All rows here have the same number of cells, so one block of columns covers the table.
 */
final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final List<String[]> rows = new ArrayList<>();

    TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** runc list's settings. */
    static TabWriter forList() {
        return new TabWriter(12, 3);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    String render() {
        int columns = 0;
        for (String[] row : rows) {
            columns = Math.max(columns, row.length - 1);
        }
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < row.length - 1; c++) {
                widths[c] = Math.max(widths[c], Math.max(minWidth, width(row[c]) + padding));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(row[c]);
                if (c < row.length - 1) {
                    out.repeat(' ', widths[c] - width(row[c]));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Go's tabwriter counts runes (code points), not bytes. */
    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
