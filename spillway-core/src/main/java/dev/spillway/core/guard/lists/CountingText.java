package dev.spillway.core.guard.lists;

/**
 * A text that lets itself be read a bounded number of times: each {@link #charAt} spends one read of a budget, and
 * the read past it throws {@link BudgetSpent}. Java's regular expressions read their input only through
 * {@code charAt} (and {@code length}), so a match run over a {@code CountingText} cannot take longer than its budget
 * allows, however badly the pattern backtracks: the cost is a decrement and a compare per read. One instance serves
 * one thread; {@link #reset} gives it a new budget for the next pattern.
 *
 * <p>{@link #subSequence} and {@link #toString} hand out the plain text: the matcher does not use them to search, and
 * reading what a match found is bounded by its length.
 */
final class CountingText implements CharSequence {
  /** Thrown when the budget is spent; one shared instance without a stack trace, as it says nothing more. */
  static final class BudgetSpent extends RuntimeException {
    private static final BudgetSpent INSTANCE = new BudgetSpent();

    private BudgetSpent() {
      super("read budget spent", null, false, false);
    }
  }

  private final CharSequence text;
  private long remaining;

  CountingText(CharSequence text, long budget) {
    this.text = text;
    this.remaining = budget;
  }

  /** Starts a new budget of {@code budget} reads. */
  void reset(long budget) {
    remaining = budget;
  }

  /** Reads left of the current budget (negative once spent). */
  long remaining() {
    return remaining;
  }

  @Override
  public char charAt(int index) {
    if (--remaining < 0) {
      throw BudgetSpent.INSTANCE;
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
