package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A translated stream whose upstream fails part-way (an error event, or an end before its final
 * event) reaches the client with what came before, then the client dialect's own stream error.
 */
class StreamFailureGatewayTest {
  @TempDir
  Path tmp;
  GatewayFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:key", apiKeyProfile("anthropic", TranslationGatewayTest.ANTHROPIC_KEY),
        "openai:key", apiKeyProfile("openai", TranslationGatewayTest.OPENAI_KEY))).start();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  /** A recorded-shape upstream stream from the translate fixtures, as events, the first {@code keep} only when {@code keep >= 0}. */
  private static List<String> events(String fixture, int keep) throws IOException {
    try (InputStream in = StreamFailureGatewayTest.class.getResourceAsStream("translate/" + fixture)) {
      List<String> all = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n\n")).toList();
      return keep < 0 ? all : all.subList(0, keep);
    }
  }

  private String stream(String path, String model) throws Exception {
    String body = path.equals("/v1/responses")
        ? "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}"
        : "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("authorization", "Bearer " + f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    return r.body();
  }

  private static String streamError(Api api, String message) {
    return new String(api.streamError(message), StandardCharsets.UTF_8);
  }

  @Test
  void anAnthropicErrorEventEndsAChatCompletionsStreamWithItsErrorChunk() throws Exception {
    List<String> upstream = events("messages-error.sse", -1);
    f.provider.fallback = s -> FakeProvider.sseRaw(upstream, 0, -1, null);
    String out = stream("/v1/chat/completions", TranslationGatewayTest.CLAUDE);
    assertThat(out).contains("\"content\":\"Partial\"")
        .endsWith(streamError(Api.OPENAI_CHAT, "upstream error: Overloaded (overloaded_error)"));
  }

  @Test
  void anAnthropicStreamThatStopsBeforeMessageStopEndsAResponsesStreamWithItsErrorEvent() throws Exception {
    // Ends cleanly after the tool call's first argument pieces: no message_delta, no message_stop.
    List<String> upstream = events("messages-tool.sse", 14);
    f.provider.fallback = s -> FakeProvider.sseRaw(upstream, 0, -1, null);
    String out = stream("/v1/responses", TranslationGatewayTest.CLAUDE);
    assertThat(out).contains("\"delta\":\"Let me \"").contains("event: response.function_call_arguments.delta")
        .doesNotContain("response.completed")
        .endsWith(streamError(Api.OPENAI_RESPONSES, "upstream error: the upstream stream ended before its final event"));
  }

  @Test
  void anOpenAiErrorChunkEndsAMessagesStreamWithItsErrorEvent() throws Exception {
    List<String> upstream = events("chat-error.sse", -1);
    f.provider.fallback = s -> FakeProvider.sseRaw(upstream, 0, -1, null);
    String out = stream("/v1/messages", TranslationGatewayTest.GPT);
    assertThat(out).startsWith("event: message_start\n").contains("\"text\":\"Partial\"")
        .endsWith(streamError(Api.ANTHROPIC_MESSAGES, "upstream error: Overloaded (server_error)"));
  }
}
