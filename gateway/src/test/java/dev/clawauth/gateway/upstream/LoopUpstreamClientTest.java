package dev.clawauth.gateway.upstream;

import static dev.clawauth.gateway.upstream.RawHttpServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.clawauth.gateway.upstream.LoopUpstreamClient.UnreachableException;
import dev.clawauth.gateway.http.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event-loop upstream client against loopback servers that write exact bytes, and over TLS. */
class LoopUpstreamClientTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final long WAIT_S = 30;

  EventLoop loop;
  ExecutorService resolver;
  LoopUpstreamClient client;
  RawHttpServer server;
  final List<AutoCloseable> closeLast = new ArrayList<>();
  final List<Recorder> recorders = new CopyOnWriteArrayList<>();
  @TempDir
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    loop = EventLoop.start("test-upstream-loop", System.err);
    resolver = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "test-resolver");
      t.setDaemon(true);
      return t;
    });
    client = client(System::currentTimeMillis, SSLContext.getDefault());
  }

  private LoopUpstreamClient client(LongSupplier clock, SSLContext tls) {
    LoopUpstreamClient c = new LoopUpstreamClient(Duration.ofSeconds(5), clock, () -> tls, resolver);
    closeLast.add(c);
    return c;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    loop.close();
    resolver.shutdownNow();
    if (server != null) {
      server.close();
    }
    for (Recorder r : recorders) {
      assertThat(r.terminal.get()).as("onEnd or onError at most once").isLessThanOrEqualTo(1);
      assertThat(r.offLoop.get()).as("listener called off the loop").isZero();
    }
  }

  /** Records what the client tells the listener, checking it comes on the loop. */
  class Recorder implements LoopUpstreamClient.Listener {
    volatile LoopUpstreamClient.Exchange exchange;
    volatile int status = -1;
    volatile Map<String, List<String>> headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CountDownLatch head = new CountDownLatch(1);
    final AtomicInteger terminal = new AtomicInteger();
    final AtomicInteger offLoop = new AtomicInteger();
    volatile IOException error;
    volatile Consumer<Recorder> afterBody = r -> { };
    boolean inBody;

    private void onLoop() {
      if (!loop.inLoop()) {
        offLoop.incrementAndGet();
      }
    }

    @Override
    public void onHead(int status, Map<String, List<String>> headers) {
      onLoop();
      this.status = status;
      this.headers = headers;
      events.add("head");
      head.countDown();
    }

    @Override
    public void onBody(ByteBuffer data) {
      onLoop();
      if (inBody) {
        events.add("re-entered");
      }
      inBody = true;
      events.add("body");
      synchronized (body) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        body.write(b, 0, b.length);
      }
      afterBody.accept(this);
      inBody = false;
    }

    @Override
    public void onEnd() {
      onLoop();
      events.add("end");
      terminal.incrementAndGet();
      done.complete(null);
    }

    @Override
    public void onError(IOException e) {
      onLoop();
      events.add("error");
      error = e;
      terminal.incrementAndGet();
      done.complete(null);
    }

    int bodySize() {
      synchronized (body) {
        return body.size();
      }
    }

    byte[] bytes() {
      synchronized (body) {
        return body.toByteArray();
      }
    }

    String bodyText() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Waits for the end; the body as text, or the error thrown. */
    String text() throws Exception {
      done.get(WAIT_S, TimeUnit.SECONDS);
      if (error != null) {
        throw error;
      }
      return bodyText();
    }

    void awaitHead() throws InterruptedException {
      assertThat(head.await(WAIT_S, TimeUnit.SECONDS)).as("head arrived").isTrue();
    }
  }

  private Recorder send(LoopUpstreamClient c, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
    Recorder r = new Recorder();
    recorders.add(r);
    CountDownLatch posted = new CountDownLatch(1);
    loop.execute(() -> {
      r.exchange = c.post(loop, uri, headers, body, timeout, r);
      posted.countDown();
    });
    try {
      assertThat(posted.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return r;
  }

  private Recorder post(String body) {
    return send(client, server.uri("/v1/messages"), Map.of("content-type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
  }

  private static boolean okWithLength(OutputStream out, String body) throws IOException {
    write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    return true;
  }

  private static void eventually(String what, java.util.function.BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  // ---- ported from UpstreamClientTest

  @Test
  void chunkedBodyWithExtensionsAndTrailersThenTheConnectionIsReused() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
          + "5;ext=1\r\nhello\r\n6 ; name=\"v\"\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n");
      return true;
    });
    Recorder r = post("{}");
    assertThat(r.text()).isEqualTo("hello world");
    assertThat(r.status).isEqualTo(200);
    assertThat(r.headers.get("content-type")).containsExactly("text/plain");
    assertThat(post("{}").text()).isEqualTo("hello world");
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

  @Test
  void aChunkedStreamIsDeliveredAsItArrivesNotWhenItEnds() throws Exception {
    CountDownLatch more = new CountDownLatch(1);
    server = new RawHttpServer(inTwoParts(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n1", more, "\r\n!\r\n0\r\n\r\n"));
    Recorder r = post("{}");
    eventually("the first two chunks arrived", () -> r.bodyText().equals("hello world"));
    assertThat(r.done).isNotDone();
    more.countDown();
    assertThat(r.text()).isEqualTo("hello world!");
    assertThat(post("{}").text()).isEqualTo("hello world!");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void aLengthBodyIsDeliveredAsItArrives() throws Exception {
    CountDownLatch more = new CountDownLatch(1);
    server = new RawHttpServer(inTwoParts("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", more, "world"));
    Recorder r = post("{}");
    eventually("the first half arrived", () -> r.bodyText().equals("hello"));
    assertThat(r.done).isNotDone();
    more.countDown();
    assertThat(r.text()).isEqualTo("helloworld");
  }

  @Test
  void serverSentEventsArriveOneByOneOverTime() throws Exception {
    List<CountDownLatch> next = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        String event = "data: {\"n\":" + i + "}\n\n";
        write(out, Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
        out.flush();
        next.get(i).await();
      }
      write(out, "0\r\n\r\n");
      return true;
    });
    Recorder r = post("{\"stream\":true}");
    r.awaitHead();
    assertThat(r.headers.get("content-type")).containsExactly("text/event-stream");
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      expected.append("data: {\"n\":").append(i).append("}\n\n");
      String want = expected.toString();
      eventually("event " + i + " arrived", () -> r.bodyText().equals(want));
      assertThat(r.done).isNotDone();
      next.get(i).countDown();
    }
    assertThat(r.text()).isEqualTo(expected.toString());
  }

  @Test
  void contentLengthBodiesFoldedHeadersAndHeaderCase() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 201 Created\r\nCONTENT-length: 2\r\nX-Folded: a\r\n  b\r\n\tc\r\nX-Multi: 1\r\n"
          + "x-multi: 2\r\nRetry-After: 7\r\n\r\nok");
      return true;
    });
    Recorder r = post("{\"a\":1}");
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.status).isEqualTo(201);
    assertThat(r.headers.get("content-length")).containsExactly("2");
    assertThat(r.headers.get("x-folded")).containsExactly("a b c");
    assertThat(r.headers.get("x-multi")).containsExactly("1", "2");
    assertThat(r.headers.get("retry-after")).containsExactly("7");
    assertThat(new String(server.requests.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(post("{}").text()).isEqualTo("ok");
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(client.idleConnections()).isEqualTo(1);
  }

  @Test
  void aBodyWithoutLengthEndsWhenTheServerClosesAndTheConnectionIsNotReused() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
      return false;
    });
    assertThat(post("{}").text()).isEqualTo("until the end");
    assertThat(post("{}").text()).isEqualTo("until the end");
    assertThat(server.connections.get()).isEqualTo(2);
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void connectionCloseInAnyCaseIsHonoured() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 1\r\n\r\nx");
      return true;
    });
    assertThat(post("{}").text()).isEqualTo("x");
    assertThat(client.idleConnections()).isZero();
    assertThat(post("{}").text()).isEqualTo("x");
    assertThat(server.connections.get()).isEqualTo(2);
  }

  @Test
  void anErrorAnswerReadToItsEndLeavesTheConnectionReusable() throws Exception {
    server = new RawHttpServer((req, out) -> {
      if (req.indexOnConnection() == 0) {
        String b = "{\"error\":\"slow down\"}";
        write(out, "HTTP/1.1 429 X\r\nContent-Length: " + b.length() + "\r\n\r\n" + b);
        return true;
      }
      return okWithLength(out, "fine");
    });
    Recorder r = post("{}");
    assertThat(r.text()).contains("slow down");
    assertThat(r.status).isEqualTo(429);
    assertThat(post("{}").text()).isEqualTo("fine");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void aPooledConnectionTheServerClosedWhileIdleIsNotUsed() throws Exception {
    server = new RawHttpServer((req, out) -> {
      okWithLength(out, "n" + server.requests.size());
      // An idle timeout far shorter than the client's: the server closes right after answering.
      return false;
    });
    // The server closes without saying "Connection: close", so the client pools the connection.
    assertThat(post("{}").text()).isEqualTo("n1");
    eventually("the closed connection left the pool", () -> client.idleConnections() == 0);
    assertThat(post("{}").text()).isEqualTo("n2");
    assertThat(server.requests).as("nothing was sent twice").hasSize(2);
    assertThat(server.connections.get()).isEqualTo(2);
  }

  /** Idle ages on a clock the test moves, so that minutes pass without waiting for them. */
  private static final class Clock implements LongSupplier {
    final AtomicLong now = new AtomicLong(1_000_000);

    @Override
    public long getAsLong() {
      return now.get();
    }

    void advance(long millis) {
      now.addAndGet(millis);
    }
  }

  private String post(LoopUpstreamClient c, RawHttpServer s) throws Exception {
    return send(c, s.uri("/v1/messages"), Map.of(), "{}".getBytes(StandardCharsets.UTF_8), TIMEOUT).text();
  }

  @Test
  void aConnectionIsKeptForTheCallsOfAnAgentThatThinksBetweenThem() throws Exception {
    Clock clock = new Clock();
    server = new RawHttpServer((req, out) -> okWithLength(out, "ok"));
    LoopUpstreamClient c = client(clock, SSLContext.getDefault());
    post(c, server);
    clock.advance(20_000);
    post(c, server);
    assertThat(server.connections.get()).as("reused after 20 s idle").isEqualTo(1);
    clock.advance(LoopUpstreamClient.IDLE_MS);
    post(c, server);
    assertThat(server.connections.get()).as("dropped after the idle limit").isEqualTo(2);
  }

  @Test
  void aServersKeepAliveTimeoutIsHonoured() throws Exception {
    Clock clock = new Clock();
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 2\r\n\r\nok");
      return true;
    });
    LoopUpstreamClient c = client(clock, SSLContext.getDefault());
    post(c, server);
    assertThat(c.idleLimit("http://127.0.0.1:" + server.uri("/").getPort())).isEqualTo(4_000);
    clock.advance(3_500);
    post(c, server);
    assertThat(server.connections.get()).isEqualTo(1);
    clock.advance(4_500);
    post(c, server);
    assertThat(server.connections.get()).as("past the server's 5 s less a second").isEqualTo(2);
  }

  @Test
  void aServerThatClosesIdleConnectionsSoonerTeachesTheLimitForAWhile() throws Exception {
    Clock clock = new Clock();
    CountDownLatch aged = new CountDownLatch(1);
    // The server closes the connection 10 s (on the test's clock) after answering, without saying so.
    server = new RawHttpServer((req, out) -> {
      okWithLength(out, "ok");
      out.flush();
      aged.await();
      return false;
    });
    LoopUpstreamClient c = client(clock, SSLContext.getDefault());
    String key = "http://127.0.0.1:" + server.uri("/").getPort();
    assertThat(post(c, server)).isEqualTo("ok");
    assertThat(c.idleConnections()).isEqualTo(1);
    clock.advance(10_000);
    aged.countDown();
    eventually("the client saw the close", () -> c.idleConnections() == 0);
    assertThat(c.idleLimit(key)).isEqualTo(5_000);
    clock.advance(LoopUpstreamClient.LEARNED_FOR_MS + 1);
    assertThat(c.idleLimit(key)).isEqualTo(LoopUpstreamClient.IDLE_MS);
    assertThat(LoopUpstreamClient.keepAliveTimeout(List.of("max=3, timeout=7"))).contains(7L);
    assertThat(LoopUpstreamClient.keepAliveTimeout(List.of("timeout=soon"))).isEmpty();
  }

  @Test
  void aRequestThatReachedTheServerIsNotSentAgainWhenTheAnswerFails() throws Exception {
    server = new RawHttpServer((req, out) -> req.indexOnConnection() == 0 && okWithLength(out, "first"));
    assertThat(post("{}").text()).isEqualTo("first");
    // Second request on the pooled connection: the server reads it, then closes without answering.
    Recorder r = post("{\"n\":2}");
    assertThatThrownBy(r::text).isInstanceOf(IOException.class).hasMessageContaining("before answering");
    assertThat(r.events).containsExactly("error");
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
      Recorder r = send(client, server.uri("/echo"), Map.of(), big, TIMEOUT);
      r.text();
      assertThat(Arrays.equals(r.bytes(), big)).as("round trip %d", i).isTrue();
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
    Recorder r = post("{}");
    assertThat(r.text()).isEqualTo("done");
    assertThat(r.status).isEqualTo(200);
    assertThat(r.headers).doesNotContainKey("link");
    assertThat(r.events.stream().filter("head"::equals)).hasSize(1);
    assertThat(post("{}").text()).isEqualTo("done");
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
    Recorder r204 = post("{}");
    assertThat(r204.text()).isEmpty();
    assertThat(r204.status).isEqualTo(204);
    assertThat(r204.events).containsExactly("head", "end");
    Recorder r304 = post("{}");
    assertThat(r304.text()).isEmpty();
    assertThat(r304.status).isEqualTo(304);
    assertThat(post("{}").text()).isEqualTo("after");
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
        case 5 -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n");
        default -> write(out, "SSH-2.0-OpenSSH\r\n");
      }
      return false;
    });
    assertThatThrownBy(() -> post("{}").text()).isInstanceOf(IOException.class).hasMessageContaining("status");
    assertThatThrownBy(() -> post("{}").text()).isInstanceOf(IOException.class).hasMessageContaining("content-length");
    Recorder badChunk = post("{}");
    assertThatThrownBy(badChunk::text).isInstanceOf(IOException.class).hasMessageContaining("chunk size");
    assertThat(badChunk.events).containsExactly("head", "error");
    Recorder short4 = post("{}");
    assertThatThrownBy(short4::text).isInstanceOf(IOException.class).hasMessageContaining("before the end");
    assertThat(short4.bodyText()).isEqualTo("abc");
    assertThat(short4.events).endsWith("error").startsWith("head");
    Recorder noCrlf = post("{}");
    assertThatThrownBy(noCrlf::text).isInstanceOf(IOException.class).hasMessageContaining("CRLF");
    assertThat(noCrlf.bodyText()).as("what came before the fault is delivered").isEqualTo("abc");
    assertThatThrownBy(() -> post("{}").text()).isInstanceOf(IOException.class).hasMessageContaining("HTTP/1.x");
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void headersWithLineBreaksAreNotSentAndHostIsTheClientsOwn() throws Exception {
    List<String> heads = new CopyOnWriteArrayList<>();
    try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread t = Thread.ofVirtual().start(() -> {
        try (Socket s = ss.accept()) {
          InputStream in = s.getInputStream();
          String head = readHead(in);
          heads.add(head);
          in.readNBytes(2);
          s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the test fails on its own
        }
      });
      Map<String, String> h = new java.util.LinkedHashMap<>();
      h.put("x-good", "yes");
      h.put("x-evil", "a\r\nx-injected: 1");
      h.put("Host", "elsewhere.example");
      h.put("Content-Length", "999");
      // Names that are not tokens: a lenient server could read the first as framing.
      h.put("content-length ", "999");
      h.put("transfer-encoding\u000b", "chunked");
      h.put("x bad", "1");
      h.put("x-api-key", "sk-fake-test-key");
      URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/p?q=1");
      assertThat(send(client, uri, h, new byte[] {'{', '}'}, TIMEOUT).text()).isEqualTo("ok");
      t.join();
      assertThat(heads.get(0)).isEqualTo("POST /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:" + ss.getLocalPort()
          + "\r\nx-good: yes\r\nx-api-key: sk-fake-test-key\r\ncontent-length: 2\r\n\r\n");
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  // ---- failures

  @Test
  void aRefusedConnectionIsUnreachable() throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort();
    }
    Recorder r = send(client, URI.create("http://127.0.0.1:" + port + "/v1"), Map.of(), new byte[0], TIMEOUT);
    assertThatThrownBy(r::text).isInstanceOf(UnreachableException.class)
        .hasMessage("127.0.0.1:" + port + ": connection refused");
    assertThat(r.events).containsExactly("error");
  }

  @Test
  void anUnknownHostIsUnreachable() throws Exception {
    Recorder r = send(client, URI.create("http://no-such-host.invalid:8080/v1"), Map.of(), new byte[0], TIMEOUT);
    assertThatThrownBy(r::text).isInstanceOf(UnreachableException.class)
        .hasMessageStartingWith("no-such-host.invalid:8080: ");
  }

  @Test
  void aUrlWithNoHostIsUnreachableAndNamesNoUserInfo() throws Exception {
    // java.net.URI has no host for a name with an underscore, nor without a scheme.
    Recorder r = send(client, URI.create("http://me:sk-secret@my_host:8080/v1?key=sk-other"), Map.of(), new byte[0],
        TIMEOUT);
    assertThatThrownBy(r::text).isInstanceOf(UnreachableException.class)
        .hasMessageStartingWith("my_host:8080: no host to connect to").hasMessageNotContaining("sk-");
    assertThat(r.events).containsExactly("error");
    Recorder noScheme = send(client, URI.create("api.example.invalid/v1"), Map.of(), new byte[0], TIMEOUT);
    assertThatThrownBy(noScheme::text).isInstanceOf(UnreachableException.class)
        .hasMessageStartingWith("api.example.invalid: no host to connect to");
    Recorder keyNoScheme = send(client, URI.create("me:sk-secret@api.example.invalid/v1"), Map.of(), new byte[0],
        TIMEOUT);
    assertThatThrownBy(keyNoScheme::text).isInstanceOf(UnreachableException.class)
        .hasMessageStartingWith("api.example.invalid: ").hasMessageNotContaining("sk-");
    Recorder badPort = send(client, URI.create("http://127.0.0.1:99999/v1"), Map.of(), new byte[0], TIMEOUT);
    assertThatThrownBy(badPort::text).isInstanceOf(UnreachableException.class)
        .hasMessage("127.0.0.1:99999: the port is over 65535");
    Recorder cancelled = new Recorder();
    recorders.add(cancelled);
    loop.execute(() -> client.post(loop, URI.create("localhost:8080/v1"), Map.of(), new byte[0], TIMEOUT, cancelled)
        .cancel());
    Thread.sleep(100);
    assertThat(cancelled.events).as("nothing after cancel").isEmpty();
  }

  @Test
  void noAnswerWithinTheTimeoutIsASocketTimeout() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    server = new RawHttpServer((req, out) -> {
      never.await();
      return false;
    });
    Recorder r = send(client, server.uri("/v1"), Map.of(), new byte[0], Duration.ofMillis(300));
    assertThatThrownBy(r::text).isInstanceOf(SocketTimeoutException.class)
        .hasMessage("no answer from upstream within 300 ms");
    assertThat(r.events).containsExactly("error");
    never.countDown();
  }

  /** Two requests to a server that never answers; the first one's listener throws from onError. */
  private Recorder[] twoRequestsTheFirstThrowingFromOnError(CountDownLatch never, Duration timeout)
      throws Exception {
    server = new RawHttpServer((req, out) -> {
      never.await();
      return false;
    });
    Recorder throwing = new Recorder() {
      @Override
      public void onError(IOException e) {
        super.onError(e);
        throw new IllegalStateException("a listener's own bug");
      }
    };
    Recorder other = new Recorder();
    recorders.add(throwing);
    recorders.add(other);
    loop.execute(() -> {
      throwing.exchange = client.post(loop, server.uri("/a"), Map.of(), new byte[0], timeout, throwing);
      other.exchange = client.post(loop, server.uri("/b"), Map.of(), new byte[0], timeout, other);
    });
    return new Recorder[] {throwing, other};
  }

  @Test
  void aListenerThatThrowsFromOnErrorDoesNotStopTheOthersTimingOut() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Recorder[] r = twoRequestsTheFirstThrowingFromOnError(never, Duration.ofMillis(300));
    assertThatThrownBy(r[0]::text).isInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(r[1]::text).as("the other request timed out too").isInstanceOf(SocketTimeoutException.class);
    never.countDown();
  }

  @Test
  void aListenerThatThrowsFromOnErrorDoesNotStopCloseEndingTheOthers() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Recorder[] r = twoRequestsTheFirstThrowingFromOnError(never, TIMEOUT);
    eventually("both requests reached the server", () -> server.requests.size() == 2);
    client.close();
    assertThatThrownBy(r[0]::text).isInstanceOf(IOException.class).hasMessageContaining("closed");
    assertThatThrownBy(r[1]::text).as("the other request ended too").isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
    never.countDown();
  }

  @Test
  void aBodyThatStallsLongerThanTheTimeoutIsASocketTimeout() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome");
      out.flush();
      never.await();
      return false;
    });
    Recorder r = send(client, server.uri("/v1"), Map.of(), new byte[0], Duration.ofMillis(400));
    assertThatThrownBy(r::text).isInstanceOf(SocketTimeoutException.class);
    assertThat(r.events).containsExactly("head", "body", "error");
    never.countDown();
  }

  @Test
  void aServerThatDiesMidBodyIsAnErrorAfterTheHead() throws Exception {
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nevent\n\r\n");
      out.flush();
      return false;
    });
    Recorder r = post("{}");
    assertThatThrownBy(r::text).isInstanceOf(IOException.class).hasMessageContaining("mid-body");
    assertThat(r.bodyText()).isEqualTo("event\n");
    assertThat(r.events).startsWith("head").endsWith("error");
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void cancelMidBodyClosesTheUpstreamConnectionAndSilencesTheListener() throws Exception {
    CompletableFuture<Integer> serverSaw = new CompletableFuture<>();
    try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = ss.accept()) {
          InputStream in = s.getInputStream();
          readHead(in);
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nevent\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          serverSaw.complete(in.read());
        } catch (IOException e) {
          serverSaw.complete(-2);
        }
      });
      Recorder r = send(client, URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/v1"), Map.of(),
          new byte[0], TIMEOUT);
      eventually("the first event arrived", () -> r.bodyText().equals("event\n"));
      r.exchange.cancel();
      assertThat(serverSaw.get(WAIT_S, TimeUnit.SECONDS)).as("the server's read ends").isLessThan(0);
      Thread.sleep(200);
      assertThat(r.events).containsExactly("head", "body");
      assertThat(client.idleConnections()).isZero();
    }
  }

  @Test
  void aHalfReadStreamIsNeverHandedToTheNextRequest() throws Exception {
    server = new RawHttpServer((req, out) -> {
      if (req.connection() == 1) {
        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 50; i++) {
          write(out, "6\r\nevent\n\r\n");
          out.flush();
          Thread.sleep(5);
        }
        write(out, "0\r\n\r\n");
        return true;
      }
      return okWithLength(out, "second");
    });
    Recorder r = post("{}");
    eventually("an event arrived", () -> r.bodySize() > 0);
    r.exchange.cancel();
    assertThat(post("{}").text()).isEqualTo("second");
    assertThat(server.connections.get()).isEqualTo(2);
    assertThat(r.terminal.get()).isZero();
  }

  @Test
  void pauseHoldsTheBodyBackAndResumeDeliversAllOfItInOrder() throws Exception {
    byte[] big = new byte[4 * 1024 * 1024];
    new Random(11).nextBytes(big);
    server = new RawHttpServer((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n");
      out.write(big);
      return true;
    });
    CountDownLatch firstPause = new CountDownLatch(1);
    AtomicInteger bodies = new AtomicInteger();
    Recorder r = new Recorder();
    recorders.add(r);
    r.afterBody = rec -> {
      int n = bodies.incrementAndGet();
      if (n == 1) {
        rec.exchange.pause();
        firstPause.countDown();
      } else if (n % 3 == 0) {
        // Paused and resumed within the callback: the rest must still come later, not re-entrantly.
        rec.exchange.pause();
        rec.exchange.resume();
      }
    };
    CountDownLatch posted = new CountDownLatch(1);
    loop.execute(() -> {
      r.exchange = client.post(loop, server.uri("/big"), Map.of(), new byte[0], TIMEOUT, r);
      posted.countDown();
    });
    assertThat(posted.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(firstPause.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
    int held = r.bodySize();
    Thread.sleep(300);
    assertThat(r.bodySize()).as("nothing delivered while paused").isEqualTo(held);
    assertThat(bodies.get()).isEqualTo(1);
    assertThat(r.done).isNotDone();
    r.exchange.resume();
    r.text();
    assertThat(r.events).doesNotContain("re-entered");
    assertThat(Arrays.equals(r.bytes(), big)).as("all bytes, in order").isTrue();
    assertThat(post("{}").done.get(WAIT_S, TimeUnit.SECONDS)).isNull();
    assertThat(server.connections.get()).as("the paused connection was reusable").isEqualTo(1);
  }

  @Test
  void closeEndsRequestsInFlightWithAnError() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    server = new RawHttpServer((req, out) -> {
      never.await();
      return false;
    });
    Recorder r = post("{}");
    eventually("the request reached the server", () -> server.requests.size() == 1);
    client.close();
    assertThatThrownBy(r::text).isInstanceOf(IOException.class).hasMessageContaining("closed");
    Recorder after = post("{}");
    assertThatThrownBy(after::text).isInstanceOf(IOException.class).hasMessageContaining("closed");
    never.countDown();
  }

  // ---- TLS

  /** A self-signed EC certificate made by the JDK's keytool, in a PKCS12 store with password "changeit". */
  private Path keystore(String name, String dname, String san) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-ext", "san=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
        "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool: %s", output).isZero();
    return ks;
  }

  private static KeyStore load(Path ks) throws Exception {
    KeyStore k = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      k.load(in, "changeit".toCharArray());
    }
    return k;
  }

  private static SSLContext serverContext(Path ks) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(ks), "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** A client context that trusts exactly these self-signed certificates. */
  private static SSLContext trusting(Path... stores) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (Path s : stores) {
      KeyStore k = load(s);
      String alias = k.aliases().nextElement();
      trust.setCertificateEntry(alias, k.getCertificate(alias));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** An https server on {@code address} that answers "/len" with a length body, anything else chunked. */
  private HttpsServer https(Path ks, InetAddress address, Set<Integer> clientPorts) throws Exception {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(address, 0), 16);
    s.setHttpsConfigurator(new HttpsConfigurator(serverContext(ks)));
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/", ex -> {
      clientPorts.add(ex.getRemoteAddress().getPort());
      byte[] req = ex.getRequestBody().readAllBytes();
      if (ex.getRequestURI().getPath().equals("/len")) {
        byte[] b = ("echo " + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      } else {
        ex.getResponseHeaders().set("content-type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < 3; i++) {
          out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
      ex.close();
    });
    s.start();
    closeLast.add(() -> s.stop(0));
    return s;
  }

  @Test
  void httpsWithKeepAliveAndAChunkedBody() throws Exception {
    Path ks = keystore("local", "CN=localhost", "ip:127.0.0.1,dns:localhost");
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    HttpsServer s = https(ks, InetAddress.getLoopbackAddress(), ports);
    LoopUpstreamClient c = client(System::currentTimeMillis, trusting(ks));
    String base = "https://127.0.0.1:" + s.getAddress().getPort();
    Recorder first = send(c, URI.create(base + "/len"), Map.of(), "one".getBytes(StandardCharsets.UTF_8), TIMEOUT);
    assertThat(first.text()).isEqualTo("echo one");
    assertThat(first.status).isEqualTo(200);
    Recorder second = send(c, URI.create(base + "/len"), Map.of(), "two".getBytes(StandardCharsets.UTF_8), TIMEOUT);
    assertThat(second.text()).isEqualTo("echo two");
    assertThat(ports).as("one connection for both").hasSize(1);
    Recorder chunked = send(c, URI.create(base + "/sse"), Map.of(), new byte[0], TIMEOUT);
    assertThat(chunked.text()).isEqualTo("data: 0\n\ndata: 1\n\ndata: 2\n\n");
    assertThat(chunked.headers.get("transfer-encoding")).containsExactly("chunked");
    assertThat(ports).hasSize(1);
  }

  @Test
  void httpsByHostNameGoesThroughTheResolverAndSni() throws Exception {
    Path ks = keystore("local", "CN=localhost", "ip:127.0.0.1,dns:localhost");
    InetAddress localhost = InetAddress.getByName("localhost");
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    HttpsServer s = https(ks, localhost, ports);
    LoopUpstreamClient c = client(System::currentTimeMillis, trusting(ks));
    URI uri = URI.create("https://localhost:" + s.getAddress().getPort() + "/len");
    assertThat(send(c, uri, Map.of(), "x".getBytes(StandardCharsets.UTF_8), TIMEOUT).text()).isEqualTo("echo x");
  }

  @Test
  void aCertificateForAnotherNameIsUnreachable() throws Exception {
    Path other = keystore("other", "CN=other.example", "dns:other.example");
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    HttpsServer s = https(other, InetAddress.getLoopbackAddress(), ports);
    LoopUpstreamClient c = client(System::currentTimeMillis, trusting(other));
    int port = s.getAddress().getPort();
    Recorder r = send(c, URI.create("https://127.0.0.1:" + port + "/len"), Map.of(), new byte[0], TIMEOUT);
    assertThatThrownBy(r::text).isInstanceOf(UnreachableException.class)
        .hasMessageStartingWith("127.0.0.1:" + port + ": ")
        .hasMessageContaining("127.0.0.1");
    assertThat(r.events).containsExactly("error");
    assertThat(ports).as("nothing was sent").isEmpty();
  }

  @Test
  void anUntrustedCertificateIsUnreachable() throws Exception {
    Path ks = keystore("local", "CN=localhost", "ip:127.0.0.1,dns:localhost");
    HttpsServer s = https(ks, InetAddress.getLoopbackAddress(), ConcurrentHashMap.newKeySet());
    Recorder r = send(client, URI.create("https://127.0.0.1:" + s.getAddress().getPort() + "/len"), Map.of(),
        new byte[0], TIMEOUT);
    assertThatThrownBy(r::text).isInstanceOf(UnreachableException.class);
  }

  @Test
  void aTlsHandshakeThatNeverEndsIsAConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> {
        try {
          held.add(silent.accept());
        } catch (IOException ignored) {
          // closed by the test
        }
      });
      SSLContext tls = SSLContext.getDefault();
      LoopUpstreamClient c = new LoopUpstreamClient(Duration.ofMillis(300), System::currentTimeMillis,
          () -> tls, resolver);
      closeLast.add(c);
      int port = silent.getLocalPort();
      Recorder r = send(c, URI.create("https://127.0.0.1:" + port + "/v1"), Map.of(), new byte[0], TIMEOUT);
      assertThatThrownBy(r::text).isInstanceOf(UnreachableException.class)
          .hasMessage("127.0.0.1:" + port + ": connect timed out after 300 ms");
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void addressLiterals() {
    assertThat(UpstreamConnection.isAddressLiteral("127.0.0.1")).isTrue();
    assertThat(UpstreamConnection.isAddressLiteral("[::1]")).isTrue();
    assertThat(UpstreamConnection.isAddressLiteral("api.anthropic.com")).isFalse();
    assertThat(UpstreamConnection.isAddressLiteral("1234")).isFalse();
    assertThat(UpstreamConnection.isAddressLiteral("1.2.3.4.example")).isFalse();
  }
}
