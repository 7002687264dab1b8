package dev.clawauth.gateway;

import static dev.clawauth.gateway.RawHttpServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream HTTP/1.1 client against a loopback server that writes exact bytes. */
class UpstreamClientTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  final UpstreamClient client = new UpstreamClient(Duration.ofSeconds(5));
  RawHttpServer server;

  @AfterEach
  void tearDown() throws IOException {
    client.close();
    if (server != null) {
      server.close();
    }
  }

  private UpstreamClient.Response post(String body) throws IOException {
    return client.post(server.uri("/v1/messages"), Map.of("content-type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
  }

  private static String text(UpstreamClient.Response r) throws IOException {
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean okWithLength(OutputStream out, String body) throws IOException {
    write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    return true;
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailersThenTheConnectionIsReused() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
          + "5;ext=1\r\nhello\r\n6 ; name=\"v\"\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n");
      return true;
    });
    UpstreamClient.Response r = post("{}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("hello world");
    assertThat(text(post("{}"))).isEqualTo("hello world");
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.requests).hasSize(2);
  }

  /** Writes {@code first}, waits for {@code more}, then writes {@code rest}. */
  private static RawHttpServer.Script inTwoParts(String first, CountDownLatch more, String rest) {
    return (req, out) -> {
      write(out, first);
      out.flush();
      more.await();
      write(out, rest);
      return true;
    };
  }

  /** The gateway sends what it has read whenever {@code available()} is 0, so that must never promise a wait. */
  @Test
  void availableCountsWhatHasArrivedAndNothingThatMustBeWaitedFor() throws Exception {
    CountDownLatch more = new CountDownLatch(1);
    server = new RawHttpServer(inTwoParts(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n1", more, "\r\n!\r\n0\r\n\r\n"));
    UpstreamClient.Response r = post("{}");
    InputStream in = r.body();
    byte[] b = new byte[64];
    assertThat(new String(b, 0, in.read(b), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(in.available()).as("the next chunk is buffered whole").isPositive();
    assertThat(new String(b, 0, in.read(b), StandardCharsets.UTF_8)).isEqualTo(" world");
    assertThat(in.available()).as("only part of the next size line has arrived").isZero();
    more.countDown();
    assertThat(new String(b, 0, in.read(b), StandardCharsets.UTF_8)).isEqualTo("!");
    assertThat(in.available()).as("the last chunk and its blank line are buffered").isPositive();
    assertThat(in.read(b)).isEqualTo(-1);
    assertThat(in.available()).isZero();
    assertThat(text(post("{}"))).isEqualTo("hello world!");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void availableOfALengthBodyIsWhatHasArrivedOfIt() throws Exception {
    CountDownLatch more = new CountDownLatch(1);
    server = new RawHttpServer(inTwoParts("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", more, "world"));
    InputStream in = post("{}").body();
    byte[] b = new byte[3];
    assertThat(in.read(b)).isEqualTo(3);
    assertThat(in.available()).isEqualTo(2);
    assertThat(in.read(b)).isEqualTo(2);
    assertThat(in.available()).isZero();
    more.countDown();
    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("world");
    assertThat(in.available()).isZero();
  }

  @Test
  void contentLengthBodiesFoldedHeadersAndHeaderCase() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 201 Created\r\nCONTENT-length: 2\r\nX-Folded: a\r\n  b\r\n\tc\r\nX-Multi: 1\r\n"
          + "x-multi: 2\r\n\r\nok");
      return true;
    });
    UpstreamClient.Response r = post("{\"a\":1}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("content-length")).contains("2");
    assertThat(r.header("x-folded")).contains("a b c");
    assertThat(r.headers().get("x-multi")).containsExactly("1", "2");
    assertThat(text(r)).isEqualTo("ok");
    assertThat(new String(server.requests.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(text(post("{}"))).isEqualTo("ok");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void aBodyWithoutLengthEndsWhenTheServerClosesAndTheConnectionIsNotReused() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
      return false;
    });
    assertThat(text(post("{}"))).isEqualTo("until the end");
    assertThat(text(post("{}"))).isEqualTo("until the end");
    assertThat(server.connections.get()).isEqualTo(2);
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void connectionCloseInAnyCaseIsHonoured() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 1\r\n\r\nx");
      return true;
    });
    assertThat(text(post("{}"))).isEqualTo("x");
    assertThat(client.idleConnections()).isZero();
    assertThat(text(post("{}"))).isEqualTo("x");
    assertThat(server.connections.get()).isEqualTo(2);
  }

  @Test
  void anErrorAnswerReadToItsEndLeavesTheConnectionReusable() throws Exception {
    server = new RawHttpServer((req, out) -> req.indexOnConnection() == 0
        ? okOrError(out, 429, "{\"error\":\"slow down\"}") : okWithLength(out, "fine"));
    UpstreamClient.Response r = post("{}");
    assertThat(r.status()).isEqualTo(429);
    assertThat(text(r)).contains("slow down");
    assertThat(text(post("{}"))).isEqualTo("fine");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  private static boolean okOrError(OutputStream out, int status, String body) throws IOException {
    write(out, "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    return true;
  }

  @Test
  void aHalfReadStreamIsNeverHandedToTheNextRequest() throws Exception {
    server = new RawHttpServer((req, out) -> {
      if (req.connection() == 1) {
        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 50; i++) {
          write(out, "6\r\nevent\n\r\n");
          out.flush();
        }
        write(out, "0\r\n\r\n");
        return true;
      }
      return okWithLength(out, "second");
    });
    UpstreamClient.Response r = post("{}");
    byte[] first = new byte[6];
    assertThat(r.body().readNBytes(first, 0, 6)).isEqualTo(6);
    r.body().close();
    assertThat(client.idleConnections()).isZero();
    assertThat(text(post("{}"))).isEqualTo("second");
    assertThat(server.connections.get()).isEqualTo(2);
  }

  @Test
  void aPooledConnectionTheServerClosedIsReplacedBeforeAnythingIsSent() throws Exception {
    server = new RawHttpServer((req, out) -> {
      okWithLength(out, "n" + server.requests.size());
      // An idle timeout far shorter than the client's: the server closes right after answering.
      return false;
    });
    // The server closes without saying "Connection: close", so the client pools the connection.
    assertThat(text(post("{}"))).isEqualTo("n1");
    Thread.sleep(200);
    assertThat(text(post("{}"))).isEqualTo("n2");
    assertThat(server.requests).hasSize(2);
    assertThat(server.connections.get()).isEqualTo(2);
  }

  /** Idle ages on a clock the test moves, so that minutes pass without waiting for them. */
  private static final class Clock implements java.util.function.LongSupplier {
    final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);

    @Override
    public long getAsLong() {
      return now.get();
    }

    void advance(long millis) {
      now.addAndGet(millis);
    }
  }

  private static String post(UpstreamClient c, RawHttpServer s) throws IOException {
    return text(c.post(s.uri("/v1/messages"), Map.of(), "{}".getBytes(StandardCharsets.UTF_8), TIMEOUT));
  }

  @Test
  void aConnectionIsKeptForTheCallsOfAnAgentThatThinksBetweenThem() throws Exception {
    Clock clock = new Clock();
    server = new RawHttpServer((req, out) -> okWithLength(out, "ok"));
    try (UpstreamClient c = new UpstreamClient(Duration.ofSeconds(5), clock)) {
      post(c, server);
      clock.advance(20_000);
      post(c, server);
      assertThat(server.connections.get()).as("reused after 20 s idle").isEqualTo(1);
      clock.advance(UpstreamClient.IDLE_MS);
      post(c, server);
      assertThat(server.connections.get()).as("dropped after the idle limit").isEqualTo(2);
    }
  }

  @Test
  void aServersKeepAliveTimeoutIsHonoured() throws Exception {
    Clock clock = new Clock();
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 2\r\n\r\nok");
      return true;
    });
    try (UpstreamClient c = new UpstreamClient(Duration.ofSeconds(5), clock)) {
      post(c, server);
      assertThat(c.idleLimit("http://127.0.0.1:" + server.uri("/").getPort())).isEqualTo(4_000);
      clock.advance(3_500);
      post(c, server);
      assertThat(server.connections.get()).isEqualTo(1);
      clock.advance(4_500);
      post(c, server);
      assertThat(server.connections.get()).as("past the server's 5 s less a second").isEqualTo(2);
    }
  }

  @Test
  void aServerThatClosesIdleConnectionsSoonerTeachesTheLimitForAWhile() throws Exception {
    Clock clock = new Clock();
    // The server closes each connection right after answering, without saying so.
    server = new RawHttpServer((req, out) -> !okWithLength(out, "ok"));
    try (UpstreamClient c = new UpstreamClient(Duration.ofSeconds(5), clock)) {
      String key = "http://127.0.0.1:" + server.uri("/").getPort();
      post(c, server);
      Thread.sleep(200);
      clock.advance(10_000);
      assertThat(post(c, server)).isEqualTo("ok");
      assertThat(c.idleLimit(key)).isEqualTo(5_000);
      clock.advance(UpstreamClient.LEARNED_FOR_MS + 1);
      assertThat(c.idleLimit(key)).isEqualTo(UpstreamClient.IDLE_MS);
      assertThat(UpstreamClient.keepAliveTimeout(java.util.List.of("max=3, timeout=7"))).contains(7L);
      assertThat(UpstreamClient.keepAliveTimeout(java.util.List.of("timeout=soon"))).isEmpty();
    }
  }

  @Test
  void aRequestThatReachedTheServerIsNotSentAgainWhenTheAnswerFails() throws Exception {
    server = new RawHttpServer((req, out) -> req.indexOnConnection() == 0 && okWithLength(out, "first"));
    assertThat(text(post("{}"))).isEqualTo("first");
    // Second request on the pooled connection: the server reads it, then closes without answering.
    assertThatThrownBy(() -> post("{\"n\":2}")).isInstanceOf(IOException.class);
    assertThat(server.requests).hasSize(2);
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void largeBodiesBothWays() throws Exception {
    byte[] big = new byte[8 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);
    server = new RawHttpServer((req, out) -> {
      if (req.indexOnConnection() == 0) {
        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] b = req.body();
        for (int off = 0; off < b.length; off += 65536) {
          int n = Math.min(65536, b.length - off);
          write(out, Integer.toHexString(n) + "\r\n");
          out.write(b, off, n);
          write(out, "\r\n");
        }
        write(out, "0\r\n\r\n");
      } else {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + req.body().length + "\r\n\r\n");
        out.write(req.body());
      }
      return true;
    });
    for (int i = 0; i < 2; i++) {
      UpstreamClient.Response r = client.post(server.uri("/echo"), Map.of(), big, TIMEOUT);
      byte[] back;
      try (InputStream in = r.body()) {
        back = in.readAllBytes();
      }
      assertThat(Arrays.equals(back, big)).as("round trip %d", i).isTrue();
    }
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void informationalAnswersAreSkipped() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
      return true;
    });
    UpstreamClient.Response r = post("{}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("link")).isEmpty();
    assertThat(text(r)).isEqualTo("done");
    assertThat(text(post("{}"))).isEqualTo("done");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void noBodyFor204And304EvenWithAContentLength() throws Exception {
    server = new RawHttpServer((req, out) -> {
      switch (req.indexOnConnection()) {
        case 0 -> write(out, "HTTP/1.1 204 No Content\r\n\r\n");
        case 1 -> write(out, "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n");
        default -> okWithLength(out, "after");
      }
      return true;
    });
    UpstreamClient.Response r204 = post("{}");
    assertThat(r204.status()).isEqualTo(204);
    assertThat(text(r204)).isEmpty();
    UpstreamClient.Response r304 = post("{}");
    assertThat(r304.status()).isEqualTo(304);
    assertThat(text(r304)).isEmpty();
    assertThat(text(post("{}"))).isEqualTo("after");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void malformedAnswersAreIoErrorsNotCrashes() throws Exception {
    server = new RawHttpServer((req, out) -> {
      switch (req.connection()) {
        case 1 -> write(out, "HTTP/1.1 2x0 OK\r\n\r\n");
        case 2 -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
        case 3 -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        case 4 -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        default -> write(out, "SSH-2.0-OpenSSH\r\n");
      }
      return false;
    });
    assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class).hasMessageContaining("status");
    assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class).hasMessageContaining("content-length");
    UpstreamClient.Response badChunk = post("{}");
    assertThatThrownBy(() -> text(badChunk)).isInstanceOf(IOException.class);
    UpstreamClient.Response short4 = post("{}");
    assertThatThrownBy(() -> text(short4)).isInstanceOf(IOException.class).hasMessageContaining("before the end");
    assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class);
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void headersWithLineBreaksAreNotSentAndHostIsTheClientsOwn() throws Exception {
    server = new RawHttpServer((req, out) -> okWithLength(out, "ok"));
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("x-good", "yes");
    h.put("x-evil", "a\r\nx-injected: 1");
    h.put("Host", "elsewhere.example");
    h.put("Content-Length", "999");
    assertThat(text(client.post(server.uri("/p?q=1"), h, new byte[] {'{', '}'}, TIMEOUT))).isEqualTo("ok");
    assertThat(server.requests.get(0).line()).isEqualTo("POST /p?q=1 HTTP/1.1");
    assertThat(new String(server.requests.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }
}
