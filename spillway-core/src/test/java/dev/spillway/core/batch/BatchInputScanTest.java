package dev.spillway.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchInputScanTest {
  private static final int MAX_LINE = 1024;

  private static BatchInputScan.Result scan(String file, long base) throws IOException {
    byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
    return BatchInputScan.scan(new ByteArrayInputStream(bytes), base, bytes.length, MAX_LINE);
  }

  private static String request(String id, String model) {
    return "{\"custom_id\":\"" + id + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":"
        + model + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}";
  }

  @Test
  void findsTheModelAndWhereEachLineNamesIt() throws IOException {
    String file = request("a", "\"gpt-4o\"") + "\n" + request("b", "\"gpt-4o\"") + "\r\n\n" + request("c", "\"gpt-4o\"");
    long base = 100;
    BatchInputScan.Result result = scan(file, base);

    assertThat(result.ok()).isTrue();
    assertThat(result.model()).hasValue("gpt-4o");
    assertThat(result.requests()).isEqualTo(3);
    for (BatchInputScan.Span span : result.modelValues()) {
      assertThat(file.substring((int) (span.start() - base), (int) (span.end() - base))).isEqualTo("\"gpt-4o\"");
    }
    assertThat(result.modelValues()).extracting(BatchInputScan.Span::start).isSorted();
  }

  @Test
  void spansCoverEscapedAndMultiByteValuesWhole() throws IOException {
    String model = "\"gpt\\u002d4o-é\"";
    String file = request("a", model) + "\n";
    BatchInputScan.Result result = scan(file, 0);
    byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
    BatchInputScan.Span span = result.modelValues().getFirst();

    assertThat(result.model()).hasValue("gpt-4o-é");
    assertThat(new String(bytes, (int) span.start(), (int) (span.end() - span.start()), StandardCharsets.UTF_8))
        .isEqualTo(model);
  }

  @Test
  void spansAreRightAcrossTheReadBuffer() throws IOException {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      file.append(request("r" + i, "\"m\"")).append('\n');
    }
    byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
    BatchInputScan.Result result = BatchInputScan.scan(new ByteArrayInputStream(bytes), 0, bytes.length, MAX_LINE);

    assertThat(result.requests()).isEqualTo(3000);
    assertThat(result.modelValues()).allSatisfy(span ->
        assertThat(new String(bytes, (int) span.start(), (int) (span.end() - span.start()), StandardCharsets.UTF_8))
            .isEqualTo("\"m\""));
  }

  @Test
  void refusesTwoModelsWithTheLine() throws IOException {
    BatchInputScan.Result result = scan(request("a", "\"gpt-4o\"") + "\n" + request("b", "\"gpt-4o-mini\"") + "\n", 0);

    assertThat(result.ok()).isFalse();
    assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p).contains("line 2", "gpt-4o-mini", "same model"));
  }

  @Test
  void refusesWhatIsNotARequest() throws IOException {
    assertThat(scan("", 0).problem()).hasValueSatisfying(p -> assertThat(p).contains("no request"));
    assertThat(scan("\n\n", 0).problem()).hasValueSatisfying(p -> assertThat(p).contains("no request"));
    assertThat(scan(request("a", "\"m\"") + "\nnot json\n", 0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("line 2", "not valid JSON"));
    assertThat(scan("[1]\n", 0).problem()).hasValueSatisfying(p -> assertThat(p).contains("line 1", "not a JSON object"));
    assertThat(scan("{\"body\":{}}\n", 0).problem()).hasValueSatisfying(p -> assertThat(p).contains("no body.model"));
    assertThat(scan("{\"body\":{\"model\":5}}", 0).problem()).hasValueSatisfying(p -> assertThat(p).contains("not a string"));
    assertThat(scan("{\"body\":{\"model\":\"a\",\"model\":\"b\"}}", 0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("twice"));
    assertThat(scan("{\"body\":{\"model\":\"a\"},\"body\":{\"model\":\"a\"}}", 0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("two bodies"));
    assertThat(scan("{\"body\":{\"model\":\"a\"}} {}", 0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("not one JSON object"));
    assertThat(scan(request("a", "\"" + "m".repeat(MAX_LINE) + "\""), 0).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("line 1", "longer than"));
  }

  @Test
  void aModelNamedInsideAnotherFieldIsNotTheRequestsModel() throws IOException {
    String file = "{\"custom_id\":\"x\",\"metadata\":{\"model\":\"other\"},\"body\":{\"tools\":[{\"model\":\"t\"}],"
        + "\"model\":\"gpt-4o\"}}";
    BatchInputScan.Result result = scan(file, 0);

    assertThat(result.model()).hasValue("gpt-4o");
    BatchInputScan.Span span = result.modelValues().getFirst();
    assertThat(file.substring((int) span.start(), (int) span.end())).isEqualTo("\"gpt-4o\"");
  }
}
