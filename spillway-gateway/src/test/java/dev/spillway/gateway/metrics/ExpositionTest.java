package dev.spillway.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser must be strict, or the exposition checks built on it prove nothing. */
class ExpositionTest {

  @Test
  void parsesEscapedLabelValuesAndSpecialValues() {
    Exposition e = Exposition.parse("""
        # HELP g a \\\\ help\\nline
        # TYPE g gauge
        g{a="q\\"uote",b="back\\\\slash",c="new\\nline"} NaN
        g{a="x"} +Inf 1700000000000
        """);

    assertThat(e.value("g", Map.of("a", "q\"uote", "b", "back\\slash", "c", "new\nline"))).isNaN();
    assertThat(e.value("g", Map.of("a", "x"))).isInfinite();
    assertThat(e.families().get("g").help()).isEqualTo("a \\ help\nline");
  }

  @Test
  void rejectsASampleWithoutType() {
    assertThatThrownBy(() -> Exposition.parse("x 1\n")).hasMessageContaining("no # TYPE");
  }

  @Test
  void rejectsADuplicateSeries() {
    assertThatThrownBy(() -> Exposition.parse("# TYPE x gauge\nx{a=\"1\",b=\"2\"} 1\nx{b=\"2\",a=\"1\"} 2\n"))
        .hasMessageContaining("duplicate series");
  }

  @Test
  void rejectsAFamilySplitInTwo() {
    assertThatThrownBy(() -> Exposition.parse("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a=\"b\"} 1\n"))
        .hasMessageContaining("not together");
  }

  @Test
  void rejectsBadEscapesNamesAndValues() {
    assertThatThrownBy(() -> Exposition.parse("# TYPE x gauge\nx{a=\"\\t\"} 1\n")).hasMessageContaining("bad escape");
    assertThatThrownBy(() -> Exposition.parse("# TYPE x gauge\nx{a.b=\"1\"} 1\n")).hasMessageContaining("bad label name");
    assertThatThrownBy(() -> Exposition.parse("# TYPE x gauge\nx one\n")).hasMessageContaining("bad value");
    assertThatThrownBy(() -> Exposition.parse("# TYPE x.y gauge\n")).hasMessageContaining("bad metric name");
  }

  @Test
  void rejectsAHistogramWhoseBucketsAreNotCumulative() {
    String text = """
        # TYPE h histogram
        h_bucket{le="1.0"} 2
        h_bucket{le="2.0"} 1
        h_bucket{le="+Inf"} 2
        h_count 2
        h_sum 3.0
        """;
    assertThatThrownBy(() -> Exposition.parse(text)).hasMessageContaining("not ascending and cumulative");
  }

  @Test
  void rejectsAHistogramWhoseInfBucketDiffersFromCount() {
    String text = """
        # TYPE h histogram
        h_bucket{le="1.0"} 1
        h_bucket{le="+Inf"} 2
        h_count 3
        h_sum 3.0
        """;
    assertThatThrownBy(() -> Exposition.parse(text)).hasMessageContaining("!= _count");
  }
}
