package dev.clawauth.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The Codex backend only streams: a client that did not ask for a stream gets the gathered answer, or a failure. */
class AnswerTest {
  private static Answer codexAnswer(Dialect client) {
    Target codex = new Target(Dialect.RESPONSES, "gpt-5-codex", "openai-codex/gpt-5-codex", true, 4096, false);
    return new Crossing(client, codex, false).answer(true, 1 << 20);
  }

  @Test
  void aCompletedCodexStreamBecomesTheClientsWholeAnswer() throws IOException {
    Answer answer = codexAnswer(Dialect.RESPONSES);
    assertThat(answer.streamsToClient()).isFalse();
    byte[] in = StreamTranslatorsTest.fixture(Dialect.RESPONSES, StreamTranslatorsTest.Kind.TOOL);
    assertThat(answer.feed(ByteBuffer.wrap(in))).isEmpty();
    JsonNode body = StreamTranslatorsTest.MAPPER.readTree(answer.finish());
    assertThat(body.path("object").asText()).isEqualTo("response");
    assertThat(body.path("status").asText()).isEqualTo("completed");
    assertThat(body.path("model").asText()).isEqualTo("openai-codex/gpt-5-codex");
    assertThat(body.at("/output/1/call_id").asText()).isEqualTo("call_FxZ3rVZnJrDW1mBjxBlr3gPs");
    assertThat(answer.usage()).isEqualTo(new TokenUsage(120, 40));
  }

  @Test
  void aFailedCodexStreamIsAFailureNotAWholeAnswer() {
    Answer answer = codexAnswer(Dialect.MESSAGES);
    byte[] in = StreamTranslatorsTest.fixture(Dialect.RESPONSES, StreamTranslatorsTest.Kind.ERROR);
    assertThatThrownBy(() -> {
      answer.feed(ByteBuffer.wrap(in));
      answer.finish();
    }).isInstanceOf(IOException.class).hasMessage("Overloaded (server_error)");
  }
}
