package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad and hostile input gets a prompt answer in the API's error format and stalls nobody else. */
class HostileInputGatewayTest {
  static final String KEY = "sk-ant-api03-" + "k".repeat(40) + "KKKK";

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private GatewayFixture start(int maxConcurrent) throws Exception {
    f = new GatewayFixture(tmp);
    f.settings = f.settings.withLimits(1000, Duration.ofMillis(300), maxConcurrent, Duration.ofSeconds(20));
    f.store(storeJson("anthropic:k", apiKeyProfile("anthropic", KEY))).start();
    return f;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(f.url() + path)).timeout(Duration.ofSeconds(10))
        .header("x-api-key", f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void malformedJsonIs400InEachApisFormat() throws Exception {
    start(64);
    HttpResponse<String> a = post("/v1/messages", "{\"model\": ");
    assertThat(a.statusCode()).isEqualTo(400);
    assertThat(a.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");
    HttpResponse<String> o = post("/v1/chat/completions", "[1,2");
    assertThat(o.statusCode()).isEqualTo(400);
    assertThat(o.body()).startsWith("{\"error\":{\"message\":\"The request body is not valid JSON");
    assertThat(f.provider.seen).isEmpty();
  }

  /**
   * Without the gateway token a client gets its 401 on the head alone: the gateway never reads
   * (and so never holds) the body it announces, and sends no 100 Continue for it.
   */
  @Test
  void aRequestWithoutTheTokenIsRefusedOnItsHeadBeforeItsBody() throws Exception {
    start(64);
    try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: not-the-token\r\n"
          + "anthropic-version: 2023-06-01\r\nexpect: 100-continue\r\ncontent-type: application/json\r\n"
          + "content-length: 900\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("HTTP/1.1 401");
      String rest = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(rest).contains("\"type\":\"authentication_error\"").contains("clawauth gateway token")
          .doesNotContain("100 Continue");
    }
    assertThat(f.log()).contains("401 POST /v1/messages").doesNotContain("not-the-token");
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void unknownModelIs404() throws Exception {
    start(64);
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"nosuchprovider/x\",\"messages\":[]}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("model_not_found").contains("nosuchprovider/x");
    HttpResponse<String> noCounting = post("/v1/messages/count_tokens", "{\"model\":\"openai/gpt-4o\",\"messages\":[]}");
    assertThat(noCounting.statusCode()).isEqualTo(400);
    assertThat(noCounting.body()).contains("count_tokens").contains("/v1/chat/completions");
  }

  @Test
  void bodyOverTheLimitIs413WithOrWithoutContentLength() throws Exception {
    start(64);
    String big = "{\"model\":\"claude-opus-4-5\",\"pad\":\"" + "x".repeat(5000) + "\"}";
    HttpResponse<String> r = post("/v1/messages", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("request_too_large").contains("gateway.maxBodyBytes");
    HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(f.url() + "/v1/messages"))
        .header("x-api-key", f.token()).POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void aClientThatNeverFinishesItsBodyGets408AndOthersAreServedMeanwhile() throws Exception {
    start(64);
    String ok = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    assertThat(post("/v1/messages", ok).statusCode()).isEqualTo(200);
    try (Socket slow = new Socket("127.0.0.1", f.gateway.port())) {
      slow.setSoTimeout(5000);
      OutputStream out = slow.getOutputStream();
      out.write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
          + "\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"model\":").getBytes(StandardCharsets.UTF_8));
      out.flush();
      long t0 = System.nanoTime();
      HttpResponse<String> other = post("/v1/messages", ok);
      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      InputStream in = slow.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 408");
      StringBuilder restBuf = new StringBuilder();
      byte[] buf = new byte[1024];
      while (!restBuf.toString().endsWith("}}")) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        restBuf.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      String rest = restBuf.toString();
      assertThat(rest).contains("{\"type\":\"error\"").contains("gateway.readTimeoutMs");
    }
  }

  @Test
  void tooManyConcurrentRequestsGet503AtOnce() throws Exception {
    start(2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(2);
    f.provider.when(KEY, (ex, s) -> {
      arrived.countDown();
      release.await();
      FakeProvider.ok().answer(ex, s);
    });
    String body = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(http.sendAsync(HttpRequest.newBuilder(URI.create(f.url() + "/v1/messages"))
          .header("x-api-key", f.token()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    FakeProvider.await(arrived);
    long t0 = System.nanoTime();
    HttpResponse<String> third = post("/v1/messages", body);
    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(third.body()).contains("overloaded_error").contains("concurrent requests");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    release.countDown();
    for (var h : held) {
      assertThat(h.get().statusCode()).isEqualTo(200);
    }
    // /healthz needs no token and answers even then.
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(f.url() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).contains("ok");
  }

  /** Reads one whole response from a raw socket: head and content-length body. */
  private static String answer(Socket s) throws Exception {
    return RawAnswer.read(s);
  }

  @Test
  void headersThatNeverFinishGet408InTheApisShapeAndTheConnectionCloses() throws Exception {
    start(64);
    try (Socket slow = new Socket("127.0.0.1", f.gateway.port())) {
      slow.setSoTimeout(5000);
      slow.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-api-k")
          .getBytes(StandardCharsets.UTF_8));
      String ok = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      assertThat(post("/v1/messages", ok).statusCode()).isEqualTo(200);
      String a = answer(slow);
      assertThat(a).startsWith("HTTP/1.1 408 ").contains("connection: close")
          // The request line arrived, so the answer is in that API's (OpenAI's) shape.
          .contains("\"error\":{\"message\":\"The request head did not arrive within 300 ms")
          .contains("\"code\":\"request_timeout\"").contains("gateway.readTimeoutMs");
      assertThat(slow.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void aRequestHeadOverTheLimitGets431AndMalformedRequestsGet400() throws Exception {
    start(64);
    try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nanthropic-version: 2023-06-01\r\nx-pad: "
          + "p".repeat(70 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      String a = answer(s);
      assertThat(a).startsWith("HTTP/1.1 431 ").contains("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"")
          .contains("larger than 65536 bytes");
    }
    try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("POST /v1/messages HTTP/1.1\r\nHost : x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      assertThat(answer(s)).startsWith("HTTP/1.1 400 ").contains("Malformed HTTP request: malformed header line");
    }
    try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
          + "\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      assertThat(answer(s)).startsWith("HTTP/1.1 400 ").contains("invalid_request_error")
          .contains("both transfer-encoding and content-length");
    }
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void connectionsOverTheLimitGet503AndTheOthersAreStillServed() throws Exception {
    f = new GatewayFixture(tmp);
    f.settings = f.settings.withLimits(1000, Duration.ofSeconds(5), 64, Duration.ofSeconds(20)).withMaxConnections(2);
    f.store(storeJson("anthropic:k", apiKeyProfile("anthropic", KEY))).start();
    String ok = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    String req = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
        + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\ncontent-length: "
        + ok.length() + "\r\n\r\n" + ok;
    // One at a time: of two slots, one is for connections without the token yet, and a newer one
    // would take it from a connection that has not sent its head.
    try (Socket a = new Socket("127.0.0.1", f.gateway.port())) {
      a.setSoTimeout(5000);
      a.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
      assertThat(answer(a)).startsWith("HTTP/1.1 200 ");
      Socket b = new Socket("127.0.0.1", f.gateway.port());
      b.setSoTimeout(5000);
      b.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
      assertThat(answer(b)).startsWith("HTTP/1.1 200 ");
      try (Socket third = new Socket("127.0.0.1", f.gateway.port())) {
        third.setSoTimeout(5000);
        long t0 = System.nanoTime();
        third.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
        String answer = answer(third);
        assertThat(answer).startsWith("HTTP/1.1 503 ").contains("retry-after: 1").contains("overloaded_error")
            .contains("gateway.maxConnections");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(third.getInputStream().read()).isEqualTo(-1);
      }
      // The two held connections keep working.
      a.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
      assertThat(answer(a)).startsWith("HTTP/1.1 200 ");
      b.close();
    }
  }

  /**
   * A key stored with a line break inside (two pastes run together; an end one is trimmed on
   * reading) would split the request upstream: it is not sent, the next credential is tried, and when none is left the answer says why without
   * showing the key.
   */
  @Test
  void aStoredKeyWithAControlCharacterIsNeverSentUpstream() throws Exception {
    f = new GatewayFixture(tmp);
    String good = "sk-ant-api03-" + "g".repeat(40) + "GGGG";
    f.store("{\"version\":1,\"profiles\":{\"anthropic:broken\":" + apiKeyProfile("anthropic", KEY.substring(0, 20) + "\\n" + KEY.substring(20))
        + ",\"anthropic:good\":" + apiKeyProfile("anthropic", good)
        + "},\"order\":{\"anthropic\":[\"anthropic:broken\",\"anthropic:good\"]}}").start();
    String ok = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    assertThat(post("/v1/messages", ok).statusCode()).isEqualTo(200);
    assertThat(f.provider.seen).extracting(FakeProvider.Seen::credential).containsExactly(good);

    f.close();
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:broken", apiKeyProfile("anthropic", KEY.substring(0, 20) + "\\r\\n" + KEY.substring(20)))).start();
    HttpResponse<String> r = post("/v1/messages", ok);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("anthropic:broken").contains("control character")
        .doesNotContain(KEY.substring(0, 20)).doesNotContain(KEY.substring(20));
    assertThat(f.log()).contains("control character").doesNotContain(KEY.substring(0, 20))
        .doesNotContain(KEY.substring(20));
    assertThat(f.provider.seen).isEmpty();
  }

  /** A config header with a control byte is refused like a key with one, naming the header and the file. */
  @Test
  void aConfiguredHeaderWithAControlCharacterIsNeverSent() throws Exception {
    f = new GatewayFixture(tmp);
    f.store(storeJson("anthropic:k", apiKeyProfile("anthropic", KEY)));
    java.nio.file.Files.writeString(f.state.resolve("openclaw.json"), "{ models: { providers: { anthropic: {"
        + " baseUrl: '" + f.provider.baseUrl() + "', headers: { 'x-team': 'blue\\u0007' } } } } }");
    f.start();
    String ok = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpResponse<String> r = post("/v1/messages", ok);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("x-team").contains("models.providers.anthropic.headers").contains("openclaw.json");
    assertThat(f.provider.seen).isEmpty();
  }

  @Test
  void aHostTwiceOrAControlByteInAHeaderIs400BeforeAnythingGoesUpstream() throws Exception {
    start(64);
    String ok = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[]}";
    for (String extra : List.of("Host: y\r\n", "x-note: a\u0001b\r\n", "x-note: a\u007f\r\n")) {
      try (Socket s = new Socket("127.0.0.1", f.gateway.port())) {
        s.setSoTimeout(5000);
        s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + extra + "x-api-key: " + f.token()
            + "\r\ncontent-length: " + ok.length() + "\r\n\r\n" + ok).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer(s)).startsWith("HTTP/1.1 400 ").contains("Malformed HTTP request");
      }
    }
    assertThat(f.provider.seen).isEmpty();
  }
}
