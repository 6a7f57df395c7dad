package dev.spillway.core.chargeback;

import java.util.List;
import java.util.function.IntPredicate;

/** Aligned text columns for the reports' tables: two spaces between columns, a rule where a line is null. */
final class TextColumns {
  private TextColumns() {}

  /**
   * Appends {@code lines} to {@code out}, each column as wide as its widest cell; the columns {@code leftAligned}
   * accepts are padded on the right, the others (numbers) on the left; trailing spaces are dropped.
   */
  static void render(List<String[]> lines, IntPredicate leftAligned, StringBuilder out) {
    int columns = lines.stream().filter(l -> l != null).mapToInt(l -> l.length).max().orElse(0);
    int[] width = new int[columns];
    for (String[] cells : lines) {
      for (int i = 0; cells != null && i < cells.length; i++) {
        width[i] = Math.max(width[i], cells[i].length());
      }
    }
    for (String[] cells : lines) {
      if (cells == null) {
        int total = Math.max(0, width.length * 2 - 2);
        for (int w : width) {
          total += w;
        }
        out.append("-".repeat(total)).append('\n');
        continue;
      }
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) {
          line.append("  ");
        }
        String pad = " ".repeat(width[i] - cells[i].length());
        line.append(leftAligned.test(i) ? cells[i] + pad : pad + cells[i]);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
