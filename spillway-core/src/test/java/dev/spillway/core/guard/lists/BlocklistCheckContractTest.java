package dev.spillway.core.guard.lists;

import dev.spillway.core.guard.TextCheck;
import dev.spillway.core.guard.TextCheckContract;
import java.util.List;

class BlocklistCheckContractTest extends TextCheckContract {
  private static final BlocklistCheck CHECK = BlocklistCheck.builder()
      .name("competitors")
      .terms(List.of("Acme Rockets", "rocket", "globex", "Initech", "acme"))
      .build();

  @Override
  protected TextCheck check() {
    return CHECK;
  }

  @Override
  protected List<String> textsWithFindings() {
    return List.of(
        "Have you tried ACME rockets or a Globex rocket?",
        "initech",
        "Ask about acme\n rockets, then initech, then acme again. ".repeat(40));
  }

  @Override
  protected List<String> textsWithoutFindings() {
    return List.of("rockets, globexes and acmes are other words", "no competitor is named here");
  }
}
