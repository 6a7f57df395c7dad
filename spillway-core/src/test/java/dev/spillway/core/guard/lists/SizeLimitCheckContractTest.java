package dev.spillway.core.guard.lists;

import dev.spillway.core.guard.TextCheck;
import dev.spillway.core.guard.TextCheckContract;
import java.util.List;

class SizeLimitCheckContractTest extends TextCheckContract {
  private static final SizeLimitCheck CHECK = SizeLimitCheck.builder().maxChars(200).maxLines(3).build();

  @Override
  protected TextCheck check() {
    return CHECK;
  }

  @Override
  protected List<String> textsWithFindings() {
    return List.of("Summarise this report. ".repeat(20), "one\ntwo\nthree\nfour", "many\n".repeat(100));
  }

  @Override
  protected List<String> textsWithoutFindings() {
    return List.of("A short question?", "one\ntwo\nthree\n", "x".repeat(200));
  }
}
