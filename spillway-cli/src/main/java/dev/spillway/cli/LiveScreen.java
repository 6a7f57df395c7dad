package dev.spillway.cli;

import java.io.PrintStream;

/** Shows a block of text that replaces the previous one on a terminal, and appends otherwise. */
final class LiveScreen {
  private final PrintStream out;
  private final boolean terminal;
  private int previousLines;

  LiveScreen(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void show(String block) {
    if (terminal && previousLines > 0) {
      out.print("\033[" + previousLines + "A\033[J");
    }
    out.print(block);
    if (!terminal) {
      out.println();
    }
    out.flush();
    previousLines = (int) block.chars().filter(c -> c == '\n').count();
  }
}
