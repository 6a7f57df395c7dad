package dev.spillway.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.GuardFinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiCheckTest {
  private static final String TEXT = "Card 4111 1111 1111 1111, mail jane@example.com, IBAN DE89 3704 0044 0532 0130"
      + " 00, SSN 536-22-8841, host 10.0.0.1, phone +44 20 7946 0958.";

  @Test
  void reportsEachEntityWithItsCategoryRuleAndDefaultSeverityInTextOrder() {
    PiiCheck check = PiiCheck.builder().allEntities(GuardAction.MASK).build();
    List<GuardFinding> findings = check.inspect(TEXT);
    assertThat(findings).extracting(GuardFinding::category).containsExactly("pii.credit_card", "pii.email",
        "pii.iban", "pii.us_ssn", "pii.ip_address", "pii.phone");
    assertThat(findings).extracting(GuardFinding::ruleId).containsExactly("credit_card", "email", "iban", "us_ssn",
        "ip_address", "phone");
    assertThat(findings).extracting(GuardFinding::severity).containsExactly(6, 3, 5, 6, 2, 3);
    assertThat(findings).allSatisfy(f -> assertThat(f.action()).isEqualTo(GuardAction.MASK));
    assertThat(findings.get(0)).isEqualTo(new GuardFinding(GuardAction.MASK, "pii.credit_card", 6, "credit_card",
        5, 24));
    assertThat(check.id()).isEqualTo("pii");
  }

  @Test
  void anEntityNotConfiguredIsNotLookedFor() {
    PiiCheck check = PiiCheck.builder().entity(PiiEntity.EMAIL, GuardAction.LOG, 1)
        .entity(PiiEntity.US_SSN, GuardAction.BLOCK).build();
    assertThat(check.inspect(TEXT)).containsExactly(
        new GuardFinding(GuardAction.LOG, "pii.email", 1, "email", TEXT.indexOf("jane"), TEXT.indexOf(".com") + 4),
        new GuardFinding(GuardAction.BLOCK, "pii.us_ssn", 6, "us_ssn", TEXT.indexOf("536"), TEXT.indexOf("536") + 11));
    assertThat(check.rules()).containsOnlyKeys(PiiEntity.EMAIL, PiiEntity.US_SSN);
  }

  @Test
  void overlapsGoToTheEntityOfHigherPrecedenceAmongThoseConfigured() {
    String text = "text +12127364100@sms.example.com"; // libphonenumber reads the local part as a number
    PiiCheck phonesOnly = PiiCheck.builder().entity(PiiEntity.PHONE, GuardAction.LOG).build();
    PiiCheck both = PiiCheck.builder().entity(PiiEntity.PHONE, GuardAction.LOG)
        .entity(PiiEntity.EMAIL, GuardAction.MASK).build();
    assertThat(phonesOnly.inspect(text)).containsExactly(new GuardFinding(GuardAction.LOG, "pii.phone", 3, "phone",
        5, 17));
    assertThat(both.inspect(text)).containsExactly(new GuardFinding(GuardAction.MASK, "pii.email", 3, "email", 5,
        33));
  }

  @Test
  void findingsOfDifferentEntitiesThatDoNotOverlapAreAllKept() {
    PiiCheck all = PiiCheck.builder().allEntities(GuardAction.LOG).build();
    assertThat(all.inspect("reply 4111111111111111@sms.example.com or call 212-736-4100 from 10.0.0.1"))
        .extracting(GuardFinding::category).containsExactly("pii.email", "pii.phone", "pii.ip_address");
  }

  @Test
  void thePhoneRegionIsConfigurable() {
    String text = "Ring 020 7946 0958";
    assertThat(PiiCheck.builder().entity(PiiEntity.PHONE, GuardAction.LOG).build().inspect(text)).isEmpty();
    PiiCheck gb = PiiCheck.builder().entity(PiiEntity.PHONE, GuardAction.LOG).phoneRegion("GB").build();
    assertThat(gb.inspect(text)).hasSize(1);
    assertThat(gb.phoneRegion()).isEqualTo("GB");
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    assertThatThrownBy(() -> PiiCheck.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one entity");
    assertThatThrownBy(() -> PiiCheck.builder().entity(PiiEntity.EMAIL, GuardAction.ALLOW))
        .hasMessageContaining("log, mask or block");
    assertThatThrownBy(() -> PiiCheck.builder().entity(PiiEntity.EMAIL, GuardAction.LOG, 8))
        .hasMessageContaining("0 to 7");
    assertThatThrownBy(() -> PiiCheck.builder().entity(PiiEntity.EMAIL, GuardAction.LOG)
        .entity(PiiEntity.EMAIL, GuardAction.MASK)).hasMessageContaining("email is configured twice");
    assertThatThrownBy(() -> PiiCheck.builder().phoneRegion("ZZ")).hasMessageContaining("'ZZ'");
  }

  @Test
  void entityIdsParseAndNameTheChoices() {
    assertThat(PiiEntity.parse("Credit_Card")).isEqualTo(PiiEntity.CREDIT_CARD);
    assertThatThrownBy(() -> PiiEntity.parse("passport")).hasMessageContaining("credit_card");
  }

  @Test
  void findingsAndTheCheckCarryNoMatchedText() {
    PiiCheck check = PiiCheck.builder().allEntities(GuardAction.BLOCK).build();
    String rendered = check.inspect(TEXT) + " " + check;
    assertThat(rendered).doesNotContain("4111", "jane", "DE89", "8841", "10.0.0.1", "7946");
  }

  @Test
  void noPiiNoFindings() {
    PiiCheck check = PiiCheck.builder().allEntities(GuardAction.BLOCK).build();
    assertThat(check.inspect("The meeting moved to 3 pm on 2024-03-15; version 1.2.3.4.5 shipped.")).isEmpty();
    assertThat(check.inspect("")).isEmpty();
  }
}
