package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.clawauth.gateway.keys.ClientKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client keys: who may call, which agent and models each reaches, its own /model scope, its usage, pins across restarts. */
class ClientKeysGatewayTest {
  static final String KEY_A = SessionsGatewayTest.KEY_A;

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;
  ClientKeys keys;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private GatewayFixture start(String extraConfig) throws Exception {
    f = new GatewayFixture(tmp);
    f.config("agents: { defaults: { model: 'anthropic/claude-sonnet-4-5', models: { 'anthropic/claude-opus-4-5': { alias: 'Opus' }, "
        + "'anthropic/claude-sonnet-4-5': { alias: 'Sonnet' }, 'anthropic/claude-haiku-4-5': { alias: 'Haiku' },"
        + " 'openai/gpt-4o': {} } } }," + extraConfig)
        .store("{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKeyProfile("anthropic", KEY_A) + ",\"openai:k\":"
            + apiKeyProfile("openai", "sk-openai-key-1234567890") + "}}")
        .start();
    keys = new ClientKeys(f.state.resolve(ClientKeys.FILE), Clock.systemUTC());
    return f;
  }

  private String create(String name, List<String> models, Duration expiresIn) throws Exception {
    return keys.create(name, "main", models, expiresIn).secret().value();
  }

  private AnthropicClient anthropic(String key) {
    return AnthropicOkHttpClient.builder().baseUrl(f.url()).apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  private OpenAIClient openai(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(f.url() + "/v1").apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  private String say(String key, String model, String text) {
    return anthropic(key).messages().create(MessageCreateParams.builder().model(model).maxTokens(64)
        .addUserMessage(text).build()).content().get(0).asText().text();
  }

  private HttpResponse<String> post(String key, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(f.url() + path)).header("x-api-key", key)
        .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String key, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(f.url() + path)).header("authorization", "Bearer " + key).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String message(String model, String text) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + (what.isEmpty() ? "" : ""));
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aRevokedOrExpiredKeyIsRefusedAtItsNextRequestWithoutARestart() throws Exception {
    start("");
    String key = create("laptop", List.of(), null);
    String shortLived = create("ci", List.of(), Duration.ofMillis(1));
    assertThat(post(key, "/v1/messages", message("Sonnet", "hi")).statusCode()).isEqualTo(200);
    // The gateway token keeps working beside the keys.
    assertThat(post(f.token(), "/v1/messages", message("Sonnet", "hi")).statusCode()).isEqualTo(200);

    keys.revoke("laptop");
    HttpResponse<String> revoked = post(key, "/v1/messages", message("Sonnet", "hi"));
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(revoked.body()).contains("Client key laptop was revoked").doesNotContain(key);

    long expiresAt = keys.list().get(1).expiresAt();
    await("the short-lived key to expire", () -> System.currentTimeMillis() > expiresAt);
    HttpResponse<String> expired = post(shortLived, "/v1/messages", message("Sonnet", "hi"));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.body()).contains("Client key ci expired at").doesNotContain(shortLived);

    HttpResponse<String> unknown = post(ClientKeys.KEY_PREFIX + "x".repeat(43), "/v1/messages", message("Sonnet", "hi"));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).contains("Unknown client key").doesNotContain("x".repeat(43));
    assertThat(f.log()).doesNotContain(key).doesNotContain(shortLived);
  }

  @Test
  void aKeyReachesOnlyItsAgentAndItsModelsForRequestsAndModelCommands() throws Exception {
    start("");
    String key = create("sonnet-only", List.of("anthropic/claude-sonnet-4-5"), null);
    assertThat(say(key, "Sonnet", "hi")).isEqualTo("Hello from fake");

    HttpResponse<String> other = post(key, "/v1/messages", message("Opus", "hi"));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("Model anthropic/claude-opus-4-5 is not allowed for client key sonnet-only;"
        + " it may use anthropic/claude-sonnet-4-5");
    HttpResponse<String> command = post(key, "/v1/messages", message("Sonnet", "/model Haiku"));
    assertThat(command.statusCode()).isEqualTo(403);
    assertThat(command.body()).contains("Model anthropic/claude-haiku-4-5 is not allowed for client key sonnet-only");
    // Listing and status switch nothing, so they are answered.
    assertThat(post(key, "/v1/messages", message("Sonnet", "/model status")).statusCode()).isEqualTo(200);

    HttpResponse<String> elsewhere = post(key, "/agents/work/v1/messages", message("Sonnet", "hi"));
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.body()).contains("Client key sonnet-only serves agent main only, not work");
    assertThat(f.provider.seen).hasSize(1);
  }

  @Test
  void aKeyGetsNoMetricsOnlyTheGatewayTokenDoes() throws Exception {
    start("");
    String key = create("sonnet-only", List.of("anthropic/claude-sonnet-4-5"), null);
    String other = create("other", List.of(), null);
    assertThat(say(other, "Opus", "hi")).isEqualTo("Hello from fake");

    HttpResponse<String> metrics = get(key, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(403);
    assertThat(metrics.body()).contains("\"error\":{\"message\":\"/metrics is for the gateway token; a client key"
        + " sees its own usage on /status\"").doesNotContain("other").doesNotContain("anthropic:a");
    HttpResponse<String> operator = get(f.token(), "/metrics");
    assertThat(operator.statusCode()).isEqualTo(200);
    assertThat(operator.body()).contains("key=\"other\"");
  }

  @Test
  void aKeyRestrictedToSomeModelsListsOnlyThose() throws Exception {
    start("");
    String key = create("sonnet-only", List.of("anthropic/claude-sonnet-4-5"), null);
    String other = create("other", List.of(), null);
    HttpResponse<String> list = get(key, "/v1/models");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("\"id\":\"anthropic/claude-sonnet-4-5\"").doesNotContain("opus")
        .doesNotContain("haiku").doesNotContain("gpt-4o");
    assertThat(get(key, "/v1/models/anthropic%2Fclaude-sonnet-4-5").statusCode()).isEqualTo(200);
    HttpResponse<String> hidden = get(key, "/v1/models/anthropic%2Fclaude-opus-4-5");
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(hidden.body()).contains("Unknown model: anthropic/claude-opus-4-5");
    assertThat(get(other, "/v1/models").body()).contains("anthropic/claude-opus-4-5").contains("openai/gpt-4o");
    assertThat(get(f.token(), "/v1/models").body()).contains("anthropic/claude-opus-4-5").contains("openai/gpt-4o");
  }

  @Test
  void anUnknownKeyIsToldNoPathOfTheGatewaysMachineAndTheLogNamesTheKeysFileOnce() throws Exception {
    start("");
    String key = create("one", List.of(), null);
    java.nio.file.Path keysFile = f.state.resolve(ClientKeys.FILE);
    f.gateway.close();
    // Broken before the gateway read it: no key is known.
    Files.writeString(keysFile, Files.readString(keysFile).replace("\"name\"", "name"));
    f.start();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> refused = post(key, "/v1/messages", message("Sonnet", "hi"));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("Unknown client key").doesNotContain(keysFile.toString())
          .doesNotContain(tmp.toString()).doesNotContain(ClientKeys.FILE);
    }
    String log = f.log();
    assertThat(log.split(java.util.regex.Pattern.quote("client key that is not in " + keysFile), -1)).hasSize(2);
    assertThat(log).doesNotContain(key);
  }

  @Test
  void aTranslatedChatStreamEndsWithUsageOnlyWhenAskedAndItsTokensCountEitherWay() throws Exception {
    start("");
    String key = create("chat", List.of(), null);
    String streamed = "{\"model\":\"Sonnet\",\"stream\":true,%s\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> plain = post(key, "/v1/chat/completions", streamed.formatted(""));
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body()).contains("data: [DONE]").doesNotContain("\"choices\":[]").doesNotContain("\"usage\"");
    HttpResponse<String> asked = post(key, "/v1/chat/completions",
        streamed.formatted("\"stream_options\":{\"include_usage\":true},"));
    assertThat(asked.statusCode()).isEqualTo(200);
    assertThat(asked.body()).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4");

    await("two requests counted", () -> f.gateway.metrics().render()
        .contains("clawauth_gateway_key_requests_total{key=\"chat\",outcome=\"ok\"} 2.0"));
    assertThat(f.gateway.metrics().render())
        .contains("clawauth_gateway_key_tokens_total{direction=\"in\",key=\"chat\"} 6.0")
        .contains("clawauth_gateway_key_tokens_total{direction=\"out\",key=\"chat\"} 8.0");
  }

  @Test
  void sessionlessClientsWithDifferentKeysKeepTheirOwnModelChoice() throws Exception {
    start("");
    String one = create("one", List.of(), null);
    String two = create("two", List.of(), null);
    assertThat(say(one, "Sonnet", "/model Opus")).contains("anthropic/claude-opus-4-5");
    assertThat(say(two, "Sonnet", "/model Haiku")).contains("anthropic/claude-haiku-4-5");

    say(one, "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-opus-4-5\"");
    say(two, "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-haiku-4-5\"");
    // The gateway token without a session is not moved by either key.
    say(f.token(), "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-sonnet-4-5\"");
  }

  @Test
  void aKeysPinSurvivesARestart() throws Exception {
    start("");
    String key = create("desk", List.of(), null);
    assertThat(say(key, "Sonnet", "/model Opus@anthropic:a")).contains("anthropic:a");
    f.gateway.close();
    assertThat(Files.readString(f.state.resolve(GatewayState.FILE))).contains("\"key\":\"desk\"")
        .contains("anthropic/claude-opus-4-5").doesNotContain(key);

    f.start();
    say(key, "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-opus-4-5\"");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
  }

  @Test
  void pinsIdleLongerThanTheirTimeToLiveAreForgottenInMemoryAndInTheStateFile() throws Exception {
    start("gateway: { pinIdleTtl: '1s' },");
    String key = create("idle", List.of(), null);
    long before = System.currentTimeMillis();
    say(key, "Sonnet", "/model Opus");
    await("the pin to be idle for longer than 1s", () -> System.currentTimeMillis() > before + 2_000);
    java.nio.file.Path stateFile = f.state.resolve(GatewayState.FILE);
    await("the state file to hold no pin", () -> read(stateFile).contains("\"pins\":[]"));
    say(key, "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-sonnet-4-5\"");
  }

  @Test
  void savedPinsIdlePastTheirTimeToLiveAreNotRestored() throws Exception {
    f = new GatewayFixture(tmp);
    long now = System.currentTimeMillis();
    Files.writeString(f.state.resolve(GatewayState.FILE), "{\"version\":1,\"keys\":{},\"pins\":["
        + "{\"agent\":\"main\",\"key\":\"fresh\",\"session\":\"\",\"model\":\"anthropic/claude-opus-4-5\",\"lastSeen\":"
        + (now - 60_000) + "},"
        + "{\"agent\":\"main\",\"key\":\"stale\",\"session\":\"\",\"model\":\"anthropic/claude-opus-4-5\",\"lastSeen\":"
        + (now - 2 * 3_600_000L) + "}]}");
    f.close();
    start("gateway: { pinIdleTtl: '1h' },");
    String fresh = create("fresh", List.of(), null);
    String stale = create("stale", List.of(), null);
    say(fresh, "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-opus-4-5\"");
    say(stale, "Sonnet", "hello");
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-sonnet-4-5\"");
  }

  private static String read(java.nio.file.Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void usagePerKeyIsCountedFromTheProvidersUsagePlainAndStreamingAndKeptAcrossRestarts() throws Exception {
    start("");
    String key = create("meter", List.of(), null);
    f.provider.fallback = s -> s.path().endsWith("/chat/completions") && s.body().contains("\"stream\":true")
        ? FakeProvider.sse(List.of(FakeProvider.chatChunk("Hi", "stop"),
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}}", "[DONE]"), 0, -1, null)
        : s.path().endsWith("/responses") ? FakeProvider.sseRaw(List.of(
            "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"usage\":null}}",
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
                + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"x\"}]}],"
                + "\"usage\":{\"input_tokens\":100,\"output_tokens\":200,\"input_tokens_details\":{\"cached_tokens\":7}}}}"),
            0, -1, null)
        : FakeProvider.ok();
    say(key, "Sonnet", "plain");                                    // 3 in, 4 out
    try (var stream = anthropic(key).messages().createStreaming(MessageCreateParams.builder().model("Sonnet")
        .maxTokens(16).addUserMessage("streamed").build())) {
      stream.stream().count();                                      // 3 in, 4 out
    }
    openai(key).chat().completions().create(ChatCompletionCreateParams.builder().model("openai/gpt-4o")
        .addUserMessage("plain").build());                          // 1 in, 2 out
    try (var stream = openai(key).chat().completions().createStreaming(ChatCompletionCreateParams.builder()
        .model("openai/gpt-4o").addUserMessage("streamed").build())) {
      stream.stream().count();                                      // 10 in, 20 out
    }
    HttpResponse<String> responses = http.send(HttpRequest.newBuilder(URI.create(f.url() + "/v1/responses"))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"openai/gpt-4o\",\"input\":\"hi\",\"stream\":true}"))
        .build(), HttpResponse.BodyHandlers.ofString());           // 100 in, 200 out
    assertThat(responses.statusCode()).isEqualTo(200);
    assertThat(post(key, "/v1/messages", message("nope/none", "hi")).statusCode()).isEqualTo(404);

    // A request is counted when it ends, just after its answer went out: the last one too.
    await("six requests counted", () -> f.gateway.metrics().render()
        .contains("clawauth_gateway_key_requests_total{key=\"meter\",outcome=\"ok\"} 5.0")
        && f.gateway.metrics().render().contains("clawauth_gateway_key_requests_total{key=\"meter\",outcome=\"error\"} 1.0"));
    String metrics = f.gateway.metrics().render();
    assertThat(metrics).contains("# HELP clawauth_gateway_key_tokens_total ")
        .contains("clawauth_gateway_key_requests_total{key=\"meter\",outcome=\"error\"} 1.0")
        .contains("clawauth_gateway_key_tokens_total{direction=\"in\",key=\"meter\"} 117.0")
        .contains("clawauth_gateway_key_tokens_total{direction=\"out\",key=\"meter\"} 230.0");
    HttpResponse<String> status = get(f.token(), "/status");
    assertThat(status.body()).contains("\"clientKeys\"").contains("\"tokensIn\": 117").contains("\"errors\": 1");

    f.gateway.close();
    f.start();
    assertThat(f.gateway.metrics().render())
        .contains("clawauth_gateway_key_tokens_total{direction=\"out\",key=\"meter\"} 230.0");
    assertThat(f.log()).doesNotContain(key);
  }

  @Test
  void brokenFilesAreNamedWithTheirLineAndColumnAndNeverWrittenOver() throws Exception {
    f = new GatewayFixture(tmp);
    java.nio.file.Path stateFile = f.state.resolve(GatewayState.FILE);
    String brokenState = "{\"version\":1,\n \"pins\": [}\n";
    Files.writeString(stateFile, brokenState);
    f.close();
    start("");
    String key = create("one", List.of(), null);
    say(key, "Sonnet", "/model Opus");
    assertThat(f.log()).contains(stateFile + ":2:").contains("kept in memory only");

    // A keys file broken while the gateway runs: the keys read before stay in use, and it is said once.
    java.nio.file.Path keysFile = f.state.resolve(ClientKeys.FILE);
    String goodKeys = Files.readString(keysFile);
    Files.writeString(keysFile, goodKeys.replace("\"name\"", "name"));
    assertThat(say(key, "Sonnet", "hello")).isEqualTo("Hello from fake");
    assertThat(say(key, "Sonnet", "hello")).isEqualTo("Hello from fake");
    assertThat(f.log().split(java.util.regex.Pattern.quote(keysFile.toString()), -1)).hasSize(2);
    f.gateway.close();
    assertThat(Files.readString(stateFile)).isEqualTo(brokenState);
    assertThat(Files.readString(keysFile)).doesNotContain("\"name\"");
  }

  @Test
  void aPinTimeToLiveThatIsNoDurationStopsTheStartNamingItsPlace() throws Exception {
    f = new GatewayFixture(tmp);
    f.config("gateway: { pinIdleTtl: 'a week' },");
    org.assertj.core.api.Assertions.assertThatThrownBy(f::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f.state.resolve("openclaw.json") + ":")
        .hasMessageContaining("gateway.pinIdleTtl is not a duration such as 7d");
  }
}
