package dev.clawauth.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

  private static final Target CLAUDE = new Target(Dialect.MESSAGES, "claude-sonnet-4-5", "claude", false, 4096, false);
  private static final Target CODEX = new Target(Dialect.RESPONSES, "gpt-5.2", "codex", true, 4096, false);

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWholeAnswerSplitAnywhereIsTranslatedAtTheEndWithItsUsage() throws Exception {
    Answer a = new Crossing(Dialect.CHAT_COMPLETIONS, CLAUDE, false).answer(false, 1 << 20);
    String body = "{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":\"héllo\"}],\"stop_reason\":\"end_turn\","
        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":2,\"cache_read_input_tokens\":4}}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    assertThat(a.streamsToClient()).isFalse();
    assertThat(a.feed(ByteBuffer.wrap(raw, 0, 40))).isEmpty();
    assertThat(a.feed(ByteBuffer.wrap(raw, 40, raw.length - 40))).isEmpty();
    var out = new ObjectMapper().readTree(a.finish());
    assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("héllo");
    assertThat(out.get("model").asText()).isEqualTo("claude");
    assertThat(a.usage()).isEqualTo(new TokenUsage(7, 2));
  }

  @Test
  void aWholeAnswerOverTheLimitIsRefused() throws Exception {
    Answer a = new Crossing(Dialect.CHAT_COMPLETIONS, CLAUDE, false).answer(false, 16);
    a.feed(bytes("{\"id\":\"msg_1\","));
    assertThatThrownBy(() -> a.feed(bytes("\"content\":[]}"))).isInstanceOf(Answer.TooLarge.class)
        .hasMessageContaining("larger than 16 bytes");
  }

  @Test
  void aCodexStreamForAPlainClientComesOutWholeAtTheEnd() throws Exception {
    Answer a = new Crossing(Dialect.MESSAGES, CODEX, false).answer(true, 1 << 20);
    String done = "{\"id\":\"msg_c\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"hi\"}]}";
    String sse = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_c\","
        + "\"status\":\"in_progress\",\"output\":[]}}\n\n"
        + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,"
        + "\"item\":{\"id\":\"msg_c\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}\n\n"
        + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_c\","
        + "\"output_index\":0,\"content_index\":0,\"delta\":\"hi\"}\n\n"
        + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":"
        + done + "}\n\n"
        + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_c\","
        + "\"status\":\"completed\",\"output\":[" + done + "],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n";
    assertThat(a.feed(bytes(sse))).isEmpty();
    var out = new ObjectMapper().readTree(a.finish());
    assertThat(out.get("type").asText()).isEqualTo("message");
    assertThat(out.at("/content/0/text").asText()).isEqualTo("hi");
    assertThat(a.usage().output()).isEqualTo(1);
  }

  @Test
  void aStreamedClientGetsNoStreamFromAWholeUpstreamAnswer() throws Exception {
    Answer a = new Crossing(Dialect.CHAT_COMPLETIONS, CLAUDE, true).answer(false, 1 << 20);
    a.feed(bytes("{\"id\":\"msg_1\",\"content\":[]}"));
    assertThatThrownBy(a::finish).hasMessageContaining("answered a streamed request with a whole answer");
  }
}
