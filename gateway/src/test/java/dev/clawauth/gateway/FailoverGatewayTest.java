package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Failover across profiles, cooldowns written to the store, and streams that break. */
class FailoverGatewayTest {
  static final String KEY_A = "sk-ant-api03-" + "a".repeat(40) + "AAAA";
  static final String KEY_B = "sk-ant-api03-" + "b".repeat(40) + "BBBB";
  static final long MIN = 60_000;
  static final long HOUR = 60 * MIN;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private GatewayFixture twoProfiles() throws Exception {
    f = new GatewayFixture(tmp);
    f.store("{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKeyProfile("anthropic", KEY_A)
        + ",\"anthropic:b\":" + apiKeyProfile("anthropic", KEY_B) + "},"
        + "\"order\":{\"anthropic\":[\"anthropic:a\",\"anthropic:b\"]}}");
    return f;
  }

  private static MessageCreateParams hello() {
    return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage("hello").build();
  }

  private JsonNode storeOnDisk() throws Exception {
    return JSON.readTree(Files.readString(f.store));
  }

  static Stream<Arguments> errorClasses() {
    return Stream.of(
        Arguments.of("401", FakeProvider.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"), "auth", MIN),
        Arguments.of("403", FakeProvider.json(403, "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"forbidden\"}}"), "auth", MIN),
        Arguments.of("429 retry-after", FakeProvider.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}", "retry-after", "600"), "rate_limit", 10 * MIN),
        Arguments.of("529", FakeProvider.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), "rate_limit", MIN),
        Arguments.of("503", FakeProvider.json(503, "{\"error\":{\"message\":\"service unavailable\"}}"), "rate_limit", MIN),
        Arguments.of("402", FakeProvider.json(402, "{\"error\":{\"message\":\"payment required\"}}"), "billing", 5 * HOUR),
        Arguments.of("credit", FakeProvider.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your credit balance is too low to access the Anthropic API.\"}}"), "billing", 5 * HOUR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorClasses")
  void failsOverToTheNextProfileAndPersistsTheCooldown(String name, FakeProvider.Script failure, String reason,
      long expectedMs) throws Exception {
    twoProfiles().start();
    f.provider.when(KEY_A, failure);
    long before = System.currentTimeMillis();
    Message m = f.anthropic().messages().create(hello());
    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello from fake");
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential).containsExactly(KEY_A, KEY_B);

    f.gateway.flush();
    JsonNode usage = storeOnDisk().path("usageStats");
    JsonNode a = usage.path("anthropic:a");
    assertThat(a.path("failureCounts").path(reason).asInt()).isEqualTo(1);
    assertThat(a.path("errorCount").asInt()).isEqualTo(1);
    long until = reason.equals("billing") ? a.path("disabledUntil").asLong() : a.path("cooldownUntil").asLong();
    assertThat((double) (until - before)).isCloseTo(expectedMs, within(5_000.0));
    assertThat(usage.path("anthropic:b").path("lastUsed").asLong()).isGreaterThanOrEqualTo(before);
    assertThat(storeOnDisk().path("lastGood").path("anthropic").asText()).isEqualTo("anthropic:b");

    // The cooled profile is skipped on the next request, and models status shows it.
    f.anthropic().messages().create(hello());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
    assertThat(f.provider.seen).hasSize(3);
    HttpResponse<String> status = get("/status");
    JsonNode unusable = JSON.readTree(status.body()).path("auth").path("unusableProfiles");
    assertThat(unusable.toString()).contains("anthropic:a");
    // The client writes labels sorted by name; the failover names the profile moved to and why the one before failed.
    assertThat(f.gateway.metrics().render())
        .contains("clawauth_gateway_failovers_total{profile=\"anthropic:b\",provider=\"anthropic\",reason=\"" + reason + "\"} 1.0")
        .contains("clawauth_gateway_cooldowns_total{profile=\"anthropic:a\",provider=\"anthropic\",reason=\"" + reason + "\"} 1.0");
  }

  @Test
  void usageIsWrittenCoalescedNotOncePerRequest() throws Exception {
    twoProfiles();
    f.settings = f.settings.withFlushInterval(Duration.ofHours(1));
    f.start();
    f.provider.when(KEY_A, FakeProvider.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"x\"}}"));
    Object inode = Files.readAttributes(f.store, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    String before = Files.readString(f.store);
    for (int i = 0; i < 20; i++) {
      f.anthropic().messages().create(hello());
    }
    // Nothing written yet (every write is an atomic rename, which would change the inode) ...
    assertThat(Files.readAttributes(f.store, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    assertThat(Files.readString(f.store)).isEqualTo(before);
    // ... yet the cooldown applied at once: only the first request tried anthropic:a.
    assertThat(f.provider.seen.stream().filter(s -> KEY_A.equals(s.credential())).count()).isEqualTo(1);
    f.gateway.flush();
    JsonNode usage = storeOnDisk().path("usageStats");
    assertThat(usage.path("anthropic:a").path("errorCount").asInt()).isEqualTo(1);
    assertThat(usage.path("anthropic:b").path("lastUsed").asLong()).isPositive();
  }

  @Test
  void timeoutFailsOver() throws Exception {
    twoProfiles();
    f.settings = f.settings.withLimits(f.settings.maxBodyBytes(), f.settings.readTimeout(), 64, Duration.ofMillis(1_500));
    f.start();
    f.provider.when(KEY_A, (ex, s) -> {
      Thread.sleep(3_000);
      FakeProvider.ok().answer(ex, s);
    });
    Message m = f.anthropic().messages().create(hello());
    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello from fake");
    f.gateway.flush();
    assertThat(storeOnDisk().path("usageStats").path("anthropic:a").path("failureCounts").path("timeout").asInt()).isEqualTo(1);
  }

  @Test
  void anUnreachableEndpointIsAnsweredAtOnceAndCoolsNoProfileDown() throws Exception {
    twoProfiles();
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Files.writeString(f.state.resolve("openclaw.json"),
        "{ models: { providers: { anthropic: { baseUrl: 'http://127.0.0.1:" + closed + "' } } } }");
    f.start();
    try {
      f.anthropic().messages().create(hello());
      throw new AssertionError("expected an error");
    } catch (AnthropicServiceException e) {
      assertThat(e.statusCode()).as(f.log()).isEqualTo(502);
      assertThat(e.getMessage()).contains("Cannot reach anthropic at http://127.0.0.1:" + closed)
          .contains("connection refused").contains("models.providers.anthropic.baseUrl")
          .contains(f.state.resolve("openclaw.json").toString());
    }
    // Both profiles share the endpoint: neither is cooled down, and the second is not tried.
    f.gateway.flush();
    JsonNode usage = storeOnDisk().path("usageStats");
    assertThat(usage.path("anthropic:a").path("cooldownUntil").isMissingNode()).isTrue();
    assertThat(usage.path("anthropic:a").path("errorCount").asInt()).isZero();
    assertThat(usage.path("anthropic:b").isMissingNode()).isTrue();
    assertThat(f.gateway.metrics().render())
        .contains("clawauth_gateway_upstream_unreachable_total{provider=\"anthropic\"} 1.0")
        .doesNotContain("clawauth_gateway_cooldowns_total{").doesNotContain("clawauth_gateway_failovers_total{");
    assertThat(f.log()).contains("anthropic endpoint unreachable: 127.0.0.1:" + closed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unusableBaseUrls")
  void aBaseUrlWithNoHostToConnectToIsUnreachableAndCoolsNoProfileDown(String base, String shown) throws Exception {
    twoProfiles();
    Files.writeString(f.state.resolve("openclaw.json"),
        "{ models: { providers: { anthropic: { baseUrl: '" + base + "' } } } }");
    f.start();
    try {
      f.anthropic().messages().create(hello());
      throw new AssertionError("expected an error");
    } catch (AnthropicServiceException e) {
      assertThat(e.statusCode()).as(f.log()).isEqualTo(502);
      assertThat(e.getMessage()).contains("Cannot reach anthropic at ").contains(shown)
          .contains("models.providers.anthropic.baseUrl").doesNotContain("secret-in-url");
    }
    f.gateway.flush();
    JsonNode usage = storeOnDisk().path("usageStats");
    assertThat(usage.path("anthropic:a").path("errorCount").asInt()).isZero();
    assertThat(usage.path("anthropic:b").isMissingNode()).isTrue();
    assertThat(f.gateway.metrics().render()).doesNotContain("clawauth_gateway_cooldowns_total{");
    assertThat(f.log()).doesNotContain("secret-in-url");
  }

  static Stream<Arguments> unusableBaseUrls() {
    return Stream.of(
        // java.net.URI takes an underscore host as a registry authority: no host at all.
        Arguments.of("http://user:secret-in-url@my_host:8080", "at http://my_host:8080: "),
        // No scheme: "localhost" is taken for one.
        Arguments.of("localhost:8080/secret-in-url", "at localhost:8080: "),
        // No scheme and no authority.
        Arguments.of("api.example.invalid/v1?key=secret-in-url", "at api.example.invalid: "));
  }

  @Test
  void streamingRequestFailsOverBeforeAnythingIsStreamed() throws Exception {
    twoProfiles().start();
    f.provider.when(KEY_A, FakeProvider.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> s = f.anthropic().messages().createStreaming(hello())) {
      s.stream().forEach(e -> e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
    }
    assertThat(text).hasToString("Hello from fake");
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential).containsExactly(KEY_A, KEY_B);
  }

  @Test
  void whenNoProfileIsUsableTheErrorNamesEachAndWhenItIsUsableAgain() throws Exception {
    twoProfiles().start();
    FakeProvider.Script limited = FakeProvider.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}");
    f.provider.when(KEY_A, limited).when(KEY_B, limited);
    try {
      f.anthropic().messages().create(hello());
      throw new AssertionError("expected an error");
    } catch (AnthropicServiceException e) {
      assertThat(e.statusCode()).isEqualTo(503);
      assertThat(e.getMessage()).contains("anthropic:a").contains("anthropic:b").contains("rate_limit");
    }
    try {
      f.anthropic().messages().create(hello());
      throw new AssertionError("expected an error");
    } catch (AnthropicServiceException e) {
      assertThat(e.statusCode()).isEqualTo(503);
      assertThat(e.getMessage()).contains("anthropic:a: cooling down until").contains("anthropic:b: cooling down until")
          .contains("(in 1m)");
    }
    assertThat(f.provider.seen).hasSize(2);
    assertThat(f.log()).doesNotContain(KEY_A).doesNotContain(KEY_B);
  }

  @Test
  void theNoUsableCredential503SaysWhenTheFirstProfileComesBack() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:a", apiKeyProfile("anthropic", KEY_A))).start();
    // 150 s: over the first rate_limit cooldown (1 min), so the provider's retry-after sets it.
    f.provider.when(KEY_A, FakeProvider.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"rate limited\"}}", "retry-after", "150"));
    String body = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpResponse<String> first = post("/v1/messages", body);
    assertThat(first.statusCode()).isEqualTo(503);
    f.gateway.flush();
    long until = storeOnDisk().path("usageStats").path("anthropic:a").path("cooldownUntil").asLong();
    assertThat(until).isPositive();

    long before = System.currentTimeMillis();
    HttpResponse<String> r = post("/v1/messages", body);
    long after = System.currentTimeMillis();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("anthropic:a: cooling down until");
    long retryAfter = Long.parseLong(r.headers().firstValue("retry-after").orElseThrow());
    // Whole seconds from the moment the gateway answered (between before and after) to the cooldown's end, rounded up.
    assertThat(retryAfter).isBetween(Math.ceilDiv(until - after, 1000L), Math.ceilDiv(until - before, 1000L))
        .isBetween(140L, 150L);
    assertThat(f.provider.seen).hasSize(1);

    // A 503 whose cause waiting does not cure (no credential at all) has no retry-after.
    HttpResponse<String> none = post("/v1/chat/completions",
        "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(none.statusCode()).isEqualTo(503);
    assertThat(none.headers().firstValue("retry-after")).isEmpty();
  }

  @Test
  void aProviderThatEchoesTheKeyItWasSentNeverHasItShown() throws Exception {
    twoProfiles().start();
    // As OpenAI answers a wrong key: the key itself in the message.
    f.provider.when(KEY_A, FakeProvider.json(401, "{\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"Incorrect API key provided: " + KEY_A + ". You can find your API key at https://x\"}}"));
    f.provider.when(KEY_B, FakeProvider.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"max_tokens too large for key " + KEY_B + " (req_01AbCdEfGh)\"}}"));
    HttpResponse<String> r = post("/v1/messages",
        "{\"model\":\"claude-opus-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    // Key A failed over (its message kept as type and text, key masked); key B's own error is the
    // client's and goes back, the key in it masked.
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("max_tokens too large").doesNotContain(KEY_B).doesNotContain(KEY_B.substring(12, 40));
    f.provider.when(KEY_B, FakeProvider.json(401, "{\"error\":{\"message\":\"bad key " + KEY_B + "\"}}"));
    HttpResponse<String> both = post("/v1/messages",
        "{\"model\":\"claude-opus-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(both.statusCode()).isEqualTo(503);
    for (String key : new String[] {KEY_A, KEY_B}) {
      String middle = key.substring(12, 40);
      assertThat(both.body()).doesNotContain(key).doesNotContain(middle);
      assertThat(f.log()).doesNotContain(key).doesNotContain(middle);
      assertThat(get("/status").body()).doesNotContain(key).doesNotContain(middle);
    }
    assertThat(f.log()).contains("invalid_request_error: Incorrect API key provided: sk-ant-a...");
  }

  @Test
  void otherClientErrorsGoBackUnchangedAndCoolNothing() throws Exception {
    twoProfiles().start();
    String body = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: must be positive\"}}";
    f.provider.when(KEY_A, FakeProvider.json(400, body));
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-opus-4-5\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(body);
    assertThat(f.provider.seen).hasSize(1);
    f.gateway.flush();
    assertThat(storeOnDisk().path("usageStats").path("anthropic:a").path("cooldownUntil").isMissingNode()).isTrue();
  }

  @Test
  void claudeCodeOnlyErrorBecomesGuidance() throws Exception {
    f = new GatewayFixture(tmp);
    String tok = "sk-ant-oat01-" + "x".repeat(80);
    f.store(GatewayFixture.storeJson("anthropic:manual", GatewayFixture.tokenProfile("anthropic", tok))).start();
    f.provider.when(tok, FakeProvider.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"message\":\"This credential is only authorized for use with Claude Code and cannot be used for other API requests.\"}}"));
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("use an Anthropic API key").contains("clawauth models auth paste-api-key --provider anthropic")
        .doesNotContain(tok);
  }

  /** A setup-token Anthropic answers 401: the 503 says to make a new one and paste it (the documents' fix). */
  @Test
  void aRefusedSetupTokenGetsTheRePasteHintNowAndWhileCoolingDown() throws Exception {
    f = new GatewayFixture(tmp);
    // Registered in testing/test-secrets.properties (GW_REFUSED_SETUP_TOKEN).
    String tok = "sk-ant-oat01-TEST-gateway-refused-setup-token-0001-RfUsEdToKeNxx";
    f.store(GatewayFixture.storeJson("anthropic:manual", GatewayFixture.tokenProfile("anthropic", tok))).start();
    f.provider.when(tok, FakeProvider.json(401, "{\"type\":\"error\",\"error\":{\"type\":"
        + "\"authentication_error\",\"message\":\"OAuth token has expired.\"}}"));
    String hint = "run `claude setup-token` again and paste it with `clawauth models auth paste-token --provider anthropic`";
    String body = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpResponse<String> r = post("/v1/messages", body);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("anthropic:manual: auth: 401").contains(hint)
        .doesNotContain("models auth login").doesNotContain(tok);
    HttpResponse<String> again = post("/v1/messages", body);
    assertThat(again.statusCode()).isEqualTo(503);
    assertThat(again.body()).contains("cooling down until").contains(hint).doesNotContain(tok);
    assertThat(f.provider.seen).hasSize(1);
    assertThat(f.log()).doesNotContain(tok);
  }

  @Test
  void revokedOAuthGetsTheReloginCommandAndAnExpiredOneThatCannotRefreshHereIsNamed() throws Exception {
    f = new GatewayFixture(tmp);
    String expired = "{\"type\":\"oauth\",\"provider\":\"anthropic\",\"access\":\"old-access-token-123\","
        + "\"refresh\":\"refresh-token-123\",\"expires\":1000}";
    f.store(GatewayFixture.storeJson("anthropic:claude-cli", GatewayFixture.oauthProfile("anthropic", "live-access-token-1", null),
        "anthropic:old", expired)).start();
    f.provider.when("live-access-token-1", FakeProvider.json(401, "{\"type\":\"error\",\"error\":{\"type\":"
        + "\"authentication_error\",\"message\":\"OAuth token has been revoked.\"}}"));
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("clawauth models auth login --provider anthropic --profile-id anthropic:claude-cli")
        .contains("anthropic:old: OAuth refresh failed for anthropic:old: access token expired")
        .doesNotContain("live-access-token-1").doesNotContain("refresh-token-123");
    assertThat(f.provider.last().header("authorization")).isEqualTo("Bearer live-access-token-1");
  }

  @Test
  void clientDisconnectMidStreamCancelsTheUpstreamRequest() throws Exception {
    twoProfiles().start();
    CountDownLatch first = new CountDownLatch(1);
    f.provider.when(KEY_A, f.provider.endless("event: message_start\ndata: {\"type\":\"message_start\"}", 50, first));
    try (Socket s = streamingRequest()) {
      readUntil(s.getInputStream(), "", "message_start");
    }
    FakeProvider.await(f.provider.streamCancelled);
  }

  /** Events are sent on as they arrive: the provider sends the second only once the client has the first. */
  @Test
  void eachEventReachesTheClientBeforeTheProviderSendsTheNext() throws Exception {
    twoProfiles().start();
    CountDownLatch clientHasFirst = new CountDownLatch(1);
    f.provider.when(KEY_A, (ex, seen) -> {
      ex.getResponseHeaders().set("content-type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write("event: message_start\ndata: {\"type\":\"message_start\"}\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (clientHasFirst.await(10, TimeUnit.SECONDS)) {
        out.write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".getBytes(StandardCharsets.UTF_8));
      }
      out.close();
    });
    try (Socket s = streamingRequest()) {
      s.setSoTimeout(5_000);
      String got = readUntil(s.getInputStream(), "", "message_start");
      assertThat(got).doesNotContain("message_stop");
      clientHasFirst.countDown();
      assertThat(readUntil(s.getInputStream(), got, "0\r\n\r\n")).contains("message_stop");
    }
  }

  /**
   * A client that stops reading while the provider streams 8 MiB: the gateway stops reading from
   * the provider instead of buffering, and once the client reads again every event arrives, in order.
   */
  @Test
  void aSlowClientGetsALongStreamWholeAndInOrder() throws Exception {
    twoProfiles().start();
    int events = 2_000;
    String pad = "p".repeat(4_000);
    f.provider.when(KEY_A, (ex, seen) -> {
      ex.getResponseHeaders().set("content-type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (int i = 0; i < events; i++) {
        out.write(("event: content_block_delta\ndata: {\"n\":" + i + ",\"pad\":\"" + pad + "\"}\n\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      out.write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".getBytes(StandardCharsets.UTF_8));
      out.close();
    });
    // A small receive buffer set before the connect: shrunk after it (when the window scale is
    // agreed), the kernel drops segments and the retransmission backoff stalled the test ~50 s.
    try (Socket s = streamingRequest(16 * 1024)) {
      s.setSoTimeout(30_000);
      // Long enough for the provider to have written far more than the socket buffers hold.
      Thread.sleep(1_000);
      Received raw = new Received();
      byte[] buf = new byte[65536];
      InputStream in = s.getInputStream();
      byte[] last = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      while (!raw.endsWith(last)) {
        int n = in.read(buf);
        assertThat(n).as("the stream ended early").isPositive();
        raw.write(buf, 0, n);
      }
      String body = dechunk(raw.toString(StandardCharsets.UTF_8));
      int next = 0;
      for (int at = body.indexOf("{\"n\":"); at >= 0; at = body.indexOf("{\"n\":", at + 1)) {
        int end = body.indexOf(',', at);
        assertThat(Integer.parseInt(body.substring(at + 5, end))).isEqualTo(next++);
      }
      assertThat(next).isEqualTo(events);
      assertThat(body).endsWith("data: {\"type\":\"message_stop\"}\n\n");
    }
  }

  /** Bytes read so far; it can tell its end without copying them all each time. */
  private static final class Received extends java.io.ByteArrayOutputStream {
    boolean endsWith(byte[] tail) {
      return count >= tail.length && java.util.Arrays.equals(buf, count - tail.length, count, tail, 0, tail.length);
    }
  }

  /** The body of a chunked response read whole: its head dropped, its chunks joined. */
  private static String dechunk(String raw) {
    int at = raw.indexOf("\r\n\r\n") + 4;
    StringBuilder sb = new StringBuilder();
    while (true) {
      int eol = raw.indexOf("\r\n", at);
      int size = Integer.parseInt(raw.substring(at, eol).trim(), 16);
      if (size == 0) {
        return sb.toString();
      }
      sb.append(raw, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  /** A streaming Anthropic request written by hand, so that the test reads the bytes as they come. */
  private Socket streamingRequest() throws IOException {
    return streamingRequest(0);
  }

  /** {@code receiveBuffer}: the socket's, set before it connects; 0 for the default. */
  private Socket streamingRequest(int receiveBuffer) throws IOException {
    String body = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new java.net.InetSocketAddress("127.0.0.1", f.gateway.port()));
    s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
        + "\r\ncontent-type: application/json\r\ncontent-length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    return s;
  }

  /** Reads on from {@code got} until the text contains {@code until}; the connection must not end first. */
  private static String readUntil(InputStream in, String got, String until) throws IOException {
    byte[] buf = new byte[4096];
    while (!got.contains(until)) {
      int n = in.read(buf);
      assertThat(n).isPositive();
      got += new String(buf, 0, n, StandardCharsets.UTF_8);
    }
    return got;
  }

  @Test
  void upstreamDyingMidStreamEndsTheClientStreamWithAnErrorEvent() throws Exception {
    twoProfiles().start();
    f.provider.when(KEY_A, FakeProvider.anthropicStream("one two three four", 20, 3));
    HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("message_start").contains("\"text\":\"one \"")
        .endsWith("\n\n").contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"");
    assertThat(r.body()).doesNotContain("message_stop");
  }

  @Test
  void storeEditedWhileRunningIsUsedOnTheNextRequest() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(GatewayFixture.storeJson("anthropic:a", apiKeyProfile("anthropic", KEY_A))).start();
    f.anthropic().messages().create(hello());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    new FileStore(f.store).update(doc -> {
      doc.updateProfile("anthropic:a", new Credential.ApiKey("anthropic", new Secret(KEY_B), null));
      return null;
    });
    f.anthropic().messages().create(hello());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("x-api-key", f.token()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + path))
        .header("x-api-key", f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
