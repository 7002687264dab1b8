package dev.clawauth.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Token counts read from answers however their bytes are cut into writes. */
class UsageScannerTest {
  static final String ANTHROPIC_STREAM = "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"usage\"}],\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":2,"
      + "\"output_tokens\":1}}}\r\n\r\n"
      + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"{\\\"usage\\\":9}\"}}\n\n"
      + "event: ping\ndata: {\"type\": \"ping\"}\n\n"
      + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
      + "\"usage\":{\"output_tokens\":42}}\n\n"
      + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  static final String CHAT_STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
      + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":13,\"total_tokens\":21}}\n\n"
      + "data: [DONE]\n\n";

  static final String RESPONSES_JSON = "{\"id\":\"r\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\","
      + "\"text\":\"x\",\"usage\":{\"input_tokens\":999}}]}],\"usage\":{\"input_tokens\":100,\"input_tokens_details\":"
      + "{\"cached_tokens\":50},\"output_tokens\":7,\"total_tokens\":107},\"user\":null}";

  private static long[] scan(String contentType, String body, int cut) {
    UsageScanner s = UsageScanner.forContentType(contentType);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < b.length; at += cut) {
      s.bytes(b, at, Math.min(cut, b.length - at));
    }
    return new long[] {s.tokensIn(), s.tokensOut()};
  }

  @Test
  void anthropicStreamTakesInputFromTheStartAndOutputFromTheLastDeltaAtEveryCut() {
    for (int cut = 1; cut <= ANTHROPIC_STREAM.length(); cut += cut < 20 ? 1 : 37) {
      assertThat(scan("text/event-stream; charset=utf-8", ANTHROPIC_STREAM, cut)).as("cut %d", cut).containsExactly(7, 42);
    }
  }

  @Test
  void chatStreamTakesTheFinalChunksUsageAndSkipsDone() {
    for (int cut = 1; cut <= CHAT_STREAM.length(); cut += 3) {
      assertThat(scan("text/event-stream", CHAT_STREAM, cut)).as("cut %d", cut).containsExactly(8, 13);
    }
  }

  @Test
  void aJsonBodyCountsOnlyTheUsageOfTheAnswerNotOneNestedInItsContent() {
    for (int cut = 1; cut <= RESPONSES_JSON.length(); cut += 5) {
      assertThat(scan("application/json", RESPONSES_JSON, cut)).as("cut %d", cut).containsExactly(100, 7);
    }
  }

  @Test
  void whatIsNotJsonCountsNothing() {
    assertThat(scan("application/json", "<html>oops</html>", 4)).containsExactly(0, 0);
    assertThat(UsageScanner.forContentType("text/plain")).isNull();
    assertThat(UsageScanner.forContentType(null)).isNull();
  }
}
