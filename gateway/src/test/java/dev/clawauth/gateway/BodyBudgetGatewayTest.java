package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.Await;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request bodies buffered at once across all connections stay within
 * gateway.maxBufferedBodyBytes: over it a request gets a 503 with Retry-After, and every way a body
 * ends (answered, refused, abandoned) gives its bytes back.
 */
class BodyBudgetGatewayTest {
  static final String KEY = "sk-ant-api03-" + "b".repeat(40) + "BBBB";
  static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir
  Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private void start(long maxBody, long budget) throws Exception {
    start(maxBody, budget, GatewaySettings.DEFAULT_HEAD_TIMEOUT);
  }

  private void start(long maxBody, long budget, Duration headTimeout) throws Exception {
    f = new GatewayFixture(tmp);
    f.settings = f.settings.withLimits(maxBody, Duration.ofSeconds(10), 64, Duration.ofSeconds(20))
        .withMaxBufferedBodyBytes(budget).withUnauthenticated(headTimeout, 0, 0);
    f.store(storeJson("anthropic:k", apiKeyProfile("anthropic", KEY))).start();
  }

  private Socket open() throws Exception {
    Socket s = new Socket("127.0.0.1", f.gateway.port());
    s.setSoTimeout(5_000);
    return s;
  }

  private String head(long length) {
    return "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
        + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\ncontent-length: " + length + "\r\n\r\n";
  }

  private static String message(int pad) {
    String start = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"";
    return start + "x".repeat(Math.max(0, pad - start.length() - 4)) + "\"}]}";
  }

  /** One whole response: head and content-length body. */
  private static String answer(Socket s) throws Exception {
    return RawAnswer.read(s);
  }

  @Test
  void aBodyOverTheBudgetGets503UntilTheHeldOneIsDoneAndAbandonedBodiesGiveTheirBytesBack() throws Exception {
    start(4_000, 6_000);
    try (Socket held = open()) {
      // A body that is announced and trickles: its whole length is held while it arrives.
      held.getOutputStream().write((head(4_000) + "{\"model\":").getBytes(StandardCharsets.UTF_8));
      Await.until(() -> "held " + f.gateway.bufferedBodyBytes(), WAIT, () -> f.gateway.bufferedBodyBytes() == 4_000);

      try (Socket over = open()) {
        String body = message(3_000);
        over.getOutputStream().write((head(body.length()) + body).getBytes(StandardCharsets.UTF_8));
        String a = answer(over);
        assertThat(a).startsWith("HTTP/1.1 503 ").contains("retry-after: 1")
            .contains("\"type\":\"overloaded_error\"").contains("6000 bytes of request bodies")
            .contains("gateway.maxBufferedBodyBytes").doesNotContain("gateway.maxConnections");
      }
      // A smaller one fits beside it.
      try (Socket fits = open()) {
        String body = message(1_500);
        fits.getOutputStream().write((head(body.length()) + body).getBytes(StandardCharsets.UTF_8));
        assertThat(answer(fits)).startsWith("HTTP/1.1 200 ");
      }
      assertThat(f.gateway.bufferedBodyBytes()).isEqualTo(4_000);
    }
    // The client went away mid-body.
    Await.until(() -> "held " + f.gateway.bufferedBodyBytes(), WAIT, () -> f.gateway.bufferedBodyBytes() == 0);
    try (Socket after = open()) {
      String body = message(3_000);
      after.getOutputStream().write((head(body.length()) + body).getBytes(StandardCharsets.UTF_8));
      assertThat(answer(after)).startsWith("HTTP/1.1 200 ");
    }
    Await.until(() -> "held " + f.gateway.bufferedBodyBytes(), WAIT, () -> f.gateway.bufferedBodyBytes() == 0);
  }

  @Test
  void refusedAndFailedRequestsGiveTheirBytesBack() throws Exception {
    start(4_000, 6_000);
    // Malformed JSON: a 400 from the handler.
    try (Socket s = open()) {
      String bad = "{\"model\": " + " ".repeat(2_000);
      s.getOutputStream().write((head(bad.length()) + bad).getBytes(StandardCharsets.UTF_8));
      assertThat(answer(s)).startsWith("HTTP/1.1 400 ");
    }
    // Wrong token: refused on its head, body never read.
    try (Socket s = open()) {
      s.getOutputStream().write(head(3_000).replace(f.token(), "not-the-token").getBytes(StandardCharsets.UTF_8));
      assertThat(answer(s)).startsWith("HTTP/1.1 401 ");
    }
    // Over maxBodyBytes while chunked.
    try (Socket s = open()) {
      String chunk = "x".repeat(1_000);
      StringBuilder req = new StringBuilder("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + f.token()
          + "\r\ntransfer-encoding: chunked\r\n\r\n");
      for (int i = 0; i < 5; i++) {
        req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
      }
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
      assertThat(answer(s)).startsWith("HTTP/1.1 413 ");
    }
    // A provider that fails: the answer is an error, the body is done with.
    f.provider.when(KEY, (ex, seen) -> {
      ex.sendResponseHeaders(500, -1);
      ex.close();
    });
    try (Socket s = open()) {
      String body = message(2_000);
      s.getOutputStream().write((head(body.length()) + body).getBytes(StandardCharsets.UTF_8));
      assertThat(answer(s)).startsWith("HTTP/1.1 5");
    }
    Await.until(() -> "held " + f.gateway.bufferedBodyBytes(), WAIT, () -> f.gateway.bufferedBodyBytes() == 0);
  }

  @Test
  void aHealthCheckWithoutTheTokenCannotHoldPartOfTheBudget() throws Exception {
    start(4_000, 6_000);
    try (Socket a = open(); Socket b = open()) {
      for (Socket s : new Socket[] {a, b}) {
        s.getOutputStream().write("POST /healthz HTTP/1.1\r\nHost: x\r\ncontent-length: 4000\r\n\r\n"
            .getBytes(StandardCharsets.UTF_8));
        assertThat(answer(s)).startsWith("HTTP/1.1 400 ").contains("/healthz takes no request body");
      }
      Await.until(() -> "held " + f.gateway.bufferedBodyBytes(), WAIT, () -> f.gateway.bufferedBodyBytes() == 0);
      try (Socket honest = open()) {
        String body = message(3_000);
        honest.getOutputStream().write((head(body.length()) + body).getBytes(StandardCharsets.UTF_8));
        assertThat(answer(honest)).startsWith("HTTP/1.1 200 ");
      }
    }
  }

  @Test
  void aBodySentWithTheTokenHasTheReadTimeoutNotTheHeadTimeoutOfItsNewConnection() throws Exception {
    start(4_000, 8_000, Duration.ofMillis(500));
    try (Socket s = open()) {
      String body = message(1_000);
      s.getOutputStream().write(head(body.length()).getBytes(StandardCharsets.UTF_8));
      // The body trickles in past the 500 ms head deadline, well within the 10 s read timeout.
      long until = System.nanoTime() + 1_500_000_000L;
      int at = 0;
      while (at < body.length()) {
        int next = Math.min(body.length(), at + 100);
        s.getOutputStream().write(body.substring(at, next).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        at = next;
        Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000 / Math.max(1, (body.length() - at) / 100 + 1)));
      }
      assertThat(answer(s)).startsWith("HTTP/1.1 200 ");
    }
  }
}
