package dev.clawauth.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The event-loop HTTP/1.1 server on real loopback sockets, driven byte by byte from plain sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LoopServerTest {
  /** Generous limits for tests that are not about them. */
  static final LoopServer.Limits ROOMY = new LoopServer.Limits(16, 2_000, 2_000, 8_192, 1 << 20);

  /** What a test's handler does with a request. */
  interface Answer {
    void handle(LoopExchange ex) throws Exception;
  }

  /** Code run on an exchange's loop. */
  interface OnLoop {
    void run() throws Exception;
  }

  /** A request the server turned away, as the handler's refuse() saw it. */
  record Refusal(int status, String method, String path, String message) {}

  final BlockingQueue<Refusal> refusals = new LinkedBlockingQueue<>();
  final List<EventLoop> loops = new ArrayList<>();
  final List<LoopServer> servers = new ArrayList<>();
  final List<RawClient> clients = new ArrayList<>();
  final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
  LoopServer server;
  /** What the handler's {@code admit} answers; admits everything unless a test says otherwise. */
  java.util.function.Function<LoopExchange, LoopHandler.Refusal> admission = ex -> null;

  @AfterEach
  void stopEverything() throws Exception {
    for (RawClient c : clients) {
      c.close();
    }
    for (LoopServer s : servers) {
      s.close();
    }
    for (LoopServer s : servers) {
      awaitConnections(s, 0);
    }
    for (EventLoop loop : loops) {
      loop.close();
    }
  }

  private LoopServer start(LoopServer.Limits limits, Answer answer) throws IOException {
    if (loops.isEmpty()) {
      // Two loops, so that connections are dealt to both.
      loops.add(EventLoop.start("http-test-loop-0", log));
      loops.add(EventLoop.start("http-test-loop-1", log));
    }
    server = LoopServer.start(InetAddress.getLoopbackAddress(), 0, 50, limits, new LoopHandler() {
      @Override
      public void handle(LoopExchange ex) throws Exception {
        answer.handle(ex);
      }

      @Override
      public LoopHandler.Refusal admit(LoopExchange ex) {
        return admission.apply(ex);
      }

      @Override
      public void refuse(LoopExchange ex, int status, String message) throws IOException {
        refusals.add(new LoopServerTest.Refusal(status, ex.method(), ex.path(), message));
        send(ex, status, "refused: " + message);
      }
    }, loops, log);
    servers.add(server);
    return server;
  }

  private RawClient connect() throws IOException {
    RawClient c = new RawClient(server.address());
    clients.add(c);
    return c;
  }

  /** Answers {@code text} with a content-length and ends. */
  static void send(LoopExchange ex, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendHeaders(status, body.length);
    ex.responseBody().write(body);
    ex.end();
  }

  /** Answers "METHOD path body" with a content-length. */
  static void echo(LoopExchange ex) throws IOException {
    send(ex, 200, ex.method() + " " + ex.path() + " " + new String(ex.requestBody(), StandardCharsets.UTF_8));
  }

  /** Runs {@code code} on the exchange's loop and waits for it. */
  static void onLoop(LoopExchange ex, OnLoop code) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ex.loop().execute(() -> {
      try {
        code.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.get(5, TimeUnit.SECONDS);
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }

  static String post(String path, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  static void awaitConnections(LoopServer s, int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (s.connections() != n && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(s.connections()).as("open connections").isEqualTo(n);
  }

  /** {@code r} has this status and body, says it is the connection's last answer, and is. */
  private static void assertLastAnswer(RawClient c, RawClient.Response r, int status, String text)
      throws IOException {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.text()).isEqualTo(text);
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(c.closedByServer()).isTrue();
  }

  /** {@code r} is refuse()'s answer with {@code status} to the request it names, and the connection ends. */
  private Refusal assertRefused(RawClient c, RawClient.Response r, int status, String method, String path)
      throws Exception {
    Refusal seen = refusals.poll(5, TimeUnit.SECONDS);
    assertThat(seen).isNotNull();
    assertThat(List.<Object>of(seen.status(), seen.method(), seen.path())).containsExactly(status, method, path);
    assertLastAnswer(c, r, status, "refused: " + seen.message());
    return seen;
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  // 1. keep-alive

  @Test
  void keepAliveAnswersTwoRequestsOnOneConnection() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    RawClient.Response first = c.send(post("/one", "hello")).response();
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.text()).isEqualTo("POST /one hello");
    assertThat(first.header("content-length")).isEqualTo("15");
    assertThat(first.header("connection")).isNull();
    RawClient.Response second = c.send(post("/two", "a longer second body")).response();
    assertThat(second.text()).isEqualTo("POST /two a longer second body");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void jdkHttpClientRoundTripsFixedAndChunkedBodies() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/path%20x?q=1");
      HttpResponse<String> fixed = http.send(HttpRequest.newBuilder(uri)
          .POST(HttpRequest.BodyPublishers.ofString("fixed")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(fixed.body()).isEqualTo("POST /path x fixed");
      // A publisher of unknown length makes the client send a chunked body.
      HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers
          .ofInputStream(() -> new java.io.ByteArrayInputStream("x".repeat(20_000).getBytes(StandardCharsets.US_ASCII))))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(chunked.body()).isEqualTo("POST /path x " + "x".repeat(20_000));
    } finally {
      http.close();
    }
  }

  @Test
  void connectionsAreDealtToEveryLoop() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    start(ROOMY, ex -> {
      threads.add(Thread.currentThread().getName());
      echo(ex);
    });
    for (int i = 0; i < 4; i++) {
      assertThat(connect().send(get("/" + i)).response().text()).isEqualTo("GET /" + i + " ");
    }
    assertThat(threads).containsExactlyInAnyOrder("http-test-loop-0", "http-test-loop-1");
  }

  @Test
  void smallAnswerLeavesInOneWrite() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send(get("/one"));
    // Head and body in one write arrive together: the first read of the raw socket has them all.
    byte[] buf = new byte[4096];
    int n = c.socket.getInputStream().read(buf);
    String got = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    assertThat(got).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nGET /one ");
  }

  // 2. pipelining and answers given later

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send(get("/one") + post("/two", "body two") + get("/three"));
    assertThat(c.response().text()).isEqualTo("GET /one ");
    assertThat(c.response().text()).isEqualTo("POST /two body two");
    assertThat(c.response().text()).isEqualTo("GET /three ");
    assertThat(c.silentFor(100)).isTrue();
  }

  @Test
  void answerGivenLaterFromATimerIsFollowedByThePipelinedRequest() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      if (ex.path().equals("/later")) {
        ex.loop().schedule(100, () -> {
          try {
            send(ex, 200, "later");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } else {
        echo(ex);
      }
    });
    RawClient c = connect();
    c.send(get("/later") + get("/now"));
    assertThat(c.response().text()).isEqualTo("later");
    assertThat(c.response().text()).isEqualTo("GET /now ");
    assertThat(c.send(get("/later")).response().text()).as("the connection is kept").isEqualTo("later");
    assertThat(handled).hasValue(3);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void aClientThatHalfClosesStillGetsItsLaterAnswer() throws Exception {
    CompletableFuture<Boolean> closedEarly = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.onClosed(() -> closedEarly.complete(true));
      ex.loop().schedule(100, () -> {
        try {
          send(ex, 200, "still here");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    });
    RawClient c = connect();
    c.send(get("/half"));
    c.socket.shutdownOutput();
    RawClient.Response r = c.response();
    assertThat(r.text()).isEqualTo("still here");
    assertThat(c.closedByServer()).isTrue();
    awaitConnections(server, 0);
    assertThat(closedEarly).isNotDone();
  }

  @Test
  void whileARequestIsAnsweredLittleOfWhatFollowsIsRead() throws Exception {
    int size = 16 << 20;
    CompletableFuture<LoopExchange> held = new CompletableFuture<>();
    start(new LoopServer.Limits(16, 10_000, 10_000, 8_192, size), ex -> {
      if (ex.path().equals("/hold")) {
        held.complete(ex);
      } else {
        send(ex, 200, Integer.toString(ex.requestBody().length));
      }
    });
    RawClient c = connect();
    c.send(get("/hold"));
    LoopExchange ex = held.get(5, TimeUnit.SECONDS);
    // A pipelined body far larger than the kernel buffers take: the writer blocks once the server stops reading.
    CompletableFuture<Void> flooded = CompletableFuture.runAsync(() -> {
      try {
        c.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n");
        byte[] piece = new byte[1 << 20];
        for (int i = 0; i < size / piece.length; i++) {
          c.send(piece);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Thread.sleep(300);
    assertThat(flooded).as("the server stopped reading").isNotDone();
    onLoop(ex, () -> send(ex, 200, "held"));
    assertThat(c.response().text()).isEqualTo("held");
    flooded.get(10, TimeUnit.SECONDS);
    assertThat(c.response().text()).isEqualTo(Integer.toString(size));
  }

  // 3. chunked request bodies

  @Test
  void chunkedRequestBodyIsDechunkedPastExtensionsAndTrailers() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n"
        + "6 ; a=b;c\r\n world\r\n"
        + "A\r\n0123456789\r\n"
        + "0;last\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n"
        + get("/after"));
    assertThat(c.response().text()).isEqualTo("POST /chunks hello world0123456789");
    // The trailers were consumed exactly: the next request on the connection parses.
    assertThat(c.response().text()).isEqualTo("GET /after ");
    assertThat(refusals).isEmpty();
  }

  @Test
  void chunkedRequestBodyArrivingInPiecesIsWhole() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /pieces HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r");
    for (String piece : List.of("\nhel", "lo\r", "\n", "3;x", "\r\nabc", "\r\n0\r", "\n\r", "\n")) {
      Thread.sleep(20);
      c.send(piece);
    }
    assertThat(c.response().text()).isEqualTo("POST /pieces helloabc");
  }

  @ParameterizedTest
  @ValueSource(strings = {"zz", "-5", "+5", "", "5 5", "0x5", "ffffffffffffffffff", "5\u00b2", "\u00aa"})
  void malformedChunkSizeIs400AndClosesTheConnection(String size) throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n" + size + "\r\nhello\r\n0\r\n\r\n");
    assertRefused(c, c.response(), 400, "POST", "/chunks");
  }

  @Test
  void chunkDataNotFollowedByCrlfIs400() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n");
    assertThat(c.response().status()).isEqualTo(400);
    assertThat(c.closedByServer()).isTrue();
  }

  // 4. chunked responses

  @Test
  void chunkedResponseStreamsEachFlushBeforeTheAnswerEnds() throws Exception {
    CompletableFuture<LoopExchange> streaming = new CompletableFuture<>();
    start(ROOMY, ex -> {
      if (ex.path().equals("/again")) {
        echo(ex);
        return;
      }
      ex.sendHeaders(200, 0);
      ex.responseBody().write("first".getBytes(StandardCharsets.US_ASCII));
      ex.responseBody().flush();
      streaming.complete(ex);
    });
    RawClient c = connect();
    c.send(get("/stream"));
    assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
    List<String> head = new ArrayList<>();
    for (String h; !(h = c.line()).isEmpty();) {
      head.add(h);
    }
    assertThat(head).contains("transfer-encoding: chunked").noneMatch(h -> h.startsWith("content-length"));
    // Each chunk arrives while the answer is still open: streamed, not buffered.
    assertThat(new String(c.bytes(10), StandardCharsets.US_ASCII)).isEqualTo("5\r\nfirst\r\n");
    LoopExchange ex = streaming.get(5, TimeUnit.SECONDS);
    onLoop(ex, () -> {
      ex.responseBody().write("second event".getBytes(StandardCharsets.US_ASCII));
      ex.flush();
    });
    assertThat(new String(c.bytes(17), StandardCharsets.US_ASCII)).isEqualTo("c\r\nsecond event\r\n");
    onLoop(ex, () -> {
      ex.responseBody().write("x".repeat(300).getBytes(StandardCharsets.US_ASCII));
      ex.end();
    });
    assertThat(new String(c.bytes(5 + 300 + 2 + 5), StandardCharsets.US_ASCII))
        .isEqualTo("12c\r\n" + "x".repeat(300) + "\r\n0\r\n\r\n");
    // The connection stays usable after the terminating chunk.
    assertThat(c.send(get("/again")).response().text()).isEqualTo("GET /again ");
  }

  // 5. Expect: 100-continue

  @Test
  void continueIsSentBeforeTheBodyAndTheHandlerSeesItWhole() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    c.send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
    assertThat(c.line()).isEmpty();
    assertThat(handled).as("the handler waits for the body").hasValue(0);
    c.send("hello");
    RawClient.Response r = c.response();
    assertThat(r.text()).isEqualTo("POST /upload hello");
    assertThat(r.header("connection")).isNull();
    assertThat(c.send(get("/next")).response().text()).isEqualTo("GET /next ");
  }

  @Test
  void expectedBodyOverTheLimitIs413WithoutContinueAndCloses() throws Exception {
    start(new LoopServer.Limits(16, 2_000, 2_000, 8_192, 4), LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    // The client did not get its go-ahead and may or may not send the body: the connection cannot be reused.
    Refusal seen = assertRefused(c, c.response(), 413, "POST", "/upload");
    assertThat(seen.message()).isEqualTo("The request body is larger than the gateway's limit of 4 bytes.");
  }

  @Test
  void aRequestRefusedOnItsHeadGetsNoContinueAndItsBodyIsNeverRead() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    admission = ex -> ex.path().startsWith("/private") && ex.requestHeaders().first("x-key") == null
        ? new LoopHandler.Refusal(401, "no key") : null;
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    // The body is announced and never sent: the answer comes on the head alone.
    c.send("POST /private HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 500000\r\n\r\n");
    Refusal seen = assertRefused(c, c.response(), 401, "POST", "/private");
    assertThat(seen.message()).isEqualTo("no key");
    assertThat(handled).hasValue(0);
    RawClient ok = connect();
    assertThat(ok.send("POST /private HTTP/1.1\r\nHost: t\r\nx-key: k\r\nContent-Length: 2\r\n\r\nhi").response()
        .text()).isEqualTo("POST /private hi");
  }

  @Test
  void expectContinueWithoutABodyKeepsTheConnection() throws Exception {
    start(ROOMY, ex -> {
      ex.sendHeaders(204, -1);
      ex.end();
    });
    RawClient c = connect();
    RawClient.Response r = c.send("GET /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n\r\n").response();
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.header("connection")).isNull();
    assertThat(c.send(get("/y")).response().status()).isEqualTo(204);
  }

  @Test
  void expectContinueFromAnHttp10ClientIsIgnored() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /old HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    // RFC 9110 10.1.1: a server MUST NOT send 100 (Continue) to an HTTP/1.0 client.
    assertThat(c.silentFor(200)).isTrue();
    c.send("hello");
    RawClient.Response r = c.response();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("POST /old hello");
  }

  // 6. HTTP/1.0

  @Test
  void http10RequestIsAnsweredAndTheConnectionCloses() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    assertLastAnswer(c, c.send("GET /old HTTP/1.0\r\n\r\n").response(), 200, "GET /old ");
  }

  @Test
  void http10KeepAliveKeepsTheConnectionAndSaysSo() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    RawClient.Response r = c.send("GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").response();
    assertThat(r.text()).isEqualTo("GET /a ");
    // An HTTP/1.0 client only keeps the connection when the response agrees (RFC 9112 appendix C.2.2).
    assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
    RawClient.Response second = c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").response();
    assertThat(second.text()).isEqualTo("GET /b ");
  }

  @Test
  void http10RequestWithTransferEncodingIs400AndCloses() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing, even with keep-alive asked.
    c.send("POST /old HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n" + "GET /smuggled HTTP/1.0\r\n\r\n");
    assertRefused(c, c.response(), 400, "POST", "/old");
  }

  @Test
  void http10BodyOfUnknownLengthIsSentUntilClose() throws Exception {
    start(ROOMY, ex -> {
      ex.sendHeaders(200, 0);
      ex.responseBody().write("part one, ".getBytes(StandardCharsets.US_ASCII));
      ex.responseBody().flush();
      ex.responseBody().write("part two".getBytes(StandardCharsets.US_ASCII));
      ex.end();
    });
    RawClient c = connect();
    // Even with keep-alive asked: without chunked framing only the close can end the body.
    RawClient.Response r = c.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").response();
    assertThat(r.header("content-length")).isNull();
    assertThat(r.header("transfer-encoding")).isNull();
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(r.text()).isEqualTo("part one, part two");
  }

  @Test
  void headAnswerAnnouncesTheLengthWithoutABody() throws Exception {
    start(ROOMY, ex -> {
      ex.sendHeaders(200, 42);
      ex.end();
    });
    RawClient c = connect();
    RawClient.Response r = c.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n").response(true);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-length")).isEqualTo("42");
    c.send("HEAD /h2 HTTP/1.1\r\nHost: t\r\n\r\n");
    assertThat(c.response(true).header("content-length")).isEqualTo("42");
  }

  @Test
  void headAnswerOfUnknownLengthAnnouncesNoLength() throws Exception {
    start(ROOMY, ex -> {
      ex.sendHeaders(200, 0);
      if (!ex.method().equals("HEAD")) {
        ex.responseBody().write("streamed".getBytes(StandardCharsets.US_ASCII));
      }
      ex.end();
    });
    RawClient c = connect();
    // A GET would stream a body of unknown length, so "content-length: 0" would be false (RFC 9110 8.6).
    RawClient.Response r = c.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n").response(true);
    assertThat(r.header("content-length")).isNull();
    assertThat(c.send(get("/g")).response().text()).isEqualTo("streamed");
  }

  // 7. refused heads

  @Test
  void headLargerThanMaxHeadBytesIs431EvenWhenItArrivesInOneWrite() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(new LoopServer.Limits(16, 2_000, 2_000, 1_024, 1 << 20), ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    c.send("GET /big HTTP/1.1\r\nHost: t\r\nX-Pad: " + "p".repeat(2_000) + "\r\n\r\n");
    Refusal seen = assertRefused(c, c.response(), 431, "GET", "/big");
    assertThat(seen.message()).isEqualTo("The request head is larger than 1024 bytes.");
    assertThat(handled).hasValue(0);
  }

  @Test
  void headLargerThanMaxHeadBytesIs431WhenItArrivesInPieces() throws Exception {
    start(new LoopServer.Limits(16, 2_000, 2_000, 1_024, 1 << 20), LoopServerTest::echo);
    RawClient c = connect();
    c.send("GET /pieces HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 20; i++) {
      c.send("X-Pad-" + i + ": " + "p".repeat(90) + "\r\n");
    }
    assertRefused(c, c.response(), 431, "GET", "/pieces");
  }

  @Test
  void headLargerThanTheReadBufferIsAcceptedUpToTheLimit() throws Exception {
    start(new LoopServer.Limits(16, 2_000, 2_000, 64 * 1024, 1 << 20), LoopServerTest::echo);
    String head = "GET /wide HTTP/1.1\r\nHost: t\r\nX-Pad: " + "p".repeat(40_000) + "\r\n\r\n";
    assertThat(connect().send(head).response().text()).isEqualTo("GET /wide ");
  }

  @Test
  void headOfExactlyMaxHeadBytesIsAccepted() throws Exception {
    start(new LoopServer.Limits(16, 2_000, 2_000, 1_024, 1 << 20), LoopServerTest::echo);
    String start = "GET /fits HTTP/1.1\r\nHost: t\r\nX-Pad: ";
    String head = start + "p".repeat(1_024 - start.length() - 4) + "\r\n\r\n";
    assertThat(head).hasSize(1_024);
    assertThat(connect().send(head).response().text()).isEqualTo("GET /fits ");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GARBAGE\r\n\r\n",
      "GET /\r\n\r\n",
      "GET / HTTP/2.0\r\n\r\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : t\r\n\r\n",
      "GET / HTTP/1.1\r\nHost\t: t\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\nX-Folded: one\r\n two\r\n\r\n",
      "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
      "GET / HTTP/1.1\r\n: no name\r\n\r\n",
      "GET nothing HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nX-Bare-Cr: a\rb\r\n\r\n",
      // A name that is not a token: one server takes it for content-length, another passes it on.
      "POST / HTTP/1.1\r\nContent-Length\u000b: 5\r\n\r\nhello",
      "POST / HTTP/1.1\r\nTransfer-Encoding\u000c: chunked\r\n\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nX Spaced: a\r\n\r\n",
      "GET / HTTP/1.1\r\nX-\u00e9: a\r\n\r\n",
      // Control bytes but HTAB, in a value or a name, are refused rather than passed upstream.
      "GET / HTTP/1.1\r\nHost: t\r\nX-Esc: a\u001b[31mb\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\nX-Del: a\u007fb\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\nX-Nul: a\u0000b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\nX-Ctl\u0001: a\r\n\r\n",
      "GET /\u0007 HTTP/1.1\r\nHost: t\r\n\r\n"})
  void malformedHeadIs400ThroughRefuse(String head) throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    // A head that does not parse gives refuse() nothing of the request.
    assertRefused(c, c.send(head).response(), 400, "", "");
    assertThat(handled).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /hosts HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET /hosts HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",
      "GET /hosts HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET /hosts HTTP/1.1\r\nX-Other: a\r\n\r\n"})
  void anythingButExactlyOneHostIs400NamingTheRequest(String head) throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    Refusal seen = assertRefused(c, c.send(head).response(), 400, "GET", "/hosts");
    assertThat(seen.message()).contains("Host");
    assertThat(handled).hasValue(0);
  }

  @Test
  void anHttp10RequestMayLeaveOutHostAndAValueMayHoldTabs() throws Exception {
    start(ROOMY, ex -> send(ex, 200, ex.requestHeaders().first("x-tabbed")));
    RawClient c = connect();
    RawClient.Response r = c.send("GET /old HTTP/1.0\r\nX-Tabbed: a\tb\r\n\r\n").response();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("a\tb");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Content-Length: 5\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: gzip, chunked",
      "Content-Length: 5\r\nContent-Length: 6",
      "Content-Length: 5, 6",
      "Content-Length: +5",
      "Content-Length: -5",
      "Content-Length: five",
      "Content-Length: 99999999999999999999"})
  void contradictoryOrMalformedFramingIs400BeforeTheHandler(String framing) throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    // Which framing is right is unknowable, so the bytes after the head cannot be trusted as a request.
    RawClient.Response r = c.send("POST /smuggle HTTP/1.1\r\nHost: t\r\n" + framing + "\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n" + get("/smuggled")).response();
    Refusal seen = assertRefused(c, r, 400, "POST", "/smuggle");
    assertThat(seen.message()).startsWith("Malformed HTTP request: ").endsWith(".");
    assertThat(handled).hasValue(0);
  }

  // 8. slow head

  @Test
  void slowHeadGets408WithWhatArrivedWhileOthersAreServed() throws Exception {
    start(new LoopServer.Limits(16, 1_000, 5_000, 8_192, 1 << 20), LoopServerTest::echo);
    RawClient slow = connect();
    long sent = System.nanoTime();
    slow.send("GET /slow?x=1 HTTP/1.1\r\nHost: t\r\nX-Half: par");
    RawClient.Response fast = connect().send(get("/fast")).response();
    assertThat(fast.text()).isEqualTo("GET /fast ");
    assertThat(refusals).as("the fast client did not wait for the slow one").isEmpty();
    RawClient.Response r = slow.response();
    assertThat(millisSince(sent)).isGreaterThanOrEqualTo(950L);
    Refusal seen = assertRefused(slow, r, 408, "GET", "/slow");
    assertThat(seen.message()).isEqualTo("The request head did not arrive within 1000 ms.");
  }

  @Test
  void halfARequestLineGets408WithNothingParsed() throws Exception {
    start(new LoopServer.Limits(16, 300, 5_000, 8_192, 1 << 20), LoopServerTest::echo);
    RawClient slow = connect();
    slow.send("GET /sl");
    assertRefused(slow, slow.response(), 408, "", "");
  }

  // 9. slow body

  @Test
  void bodyTimesOutForTheWholeRequestEvenWhenBytesKeepTrickling() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(new LoopServer.Limits(16, 500, 5_000, 8_192, 1 << 20), ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    c.send("POST /trickle HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n");
    CountDownLatch stop = new CountDownLatch(1);
    Thread trickler = Thread.ofPlatform().daemon().start(() -> {
      try {
        // A byte every 100 ms, far under the 500 ms limit: only a deadline for the whole body ends it.
        for (int i = 0; i < 40 && !stop.await(100, TimeUnit.MILLISECONDS); i++) {
          c.send("b");
        }
      } catch (IOException | InterruptedException end) {
        // the server closed the connection
      }
    });
    try {
      RawClient.Response r = c.response();
      Refusal seen = assertRefused(c, r, 408, "POST", "/trickle");
      assertThat(seen.message()).isEqualTo("The request body did not arrive within 500 ms.");
      assertThat(handled).hasValue(0);
    } finally {
      stop.countDown();
      trickler.join(5_000);
    }
  }

  // 10. idle keep-alive

  @Test
  void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
    start(new LoopServer.Limits(16, 2_000, 300, 8_192, 1 << 20), LoopServerTest::echo);
    RawClient c = connect();
    assertThat(c.send(get("/once")).response().status()).isEqualTo(200);
    long answered = System.nanoTime();
    assertThat(c.closedByServer()).isTrue();
    assertThat(millisSince(answered)).isGreaterThanOrEqualTo(150L);
    awaitConnections(server, 0);
    assertThat(refusals).as("an idle close answers nothing").isEmpty();
  }

  // 11. maxConnections

  @Test
  void connectionBeyondTheLimitGets503UntilOneCloses() throws Exception {
    start(new LoopServer.Limits(2, 2_000, 5_000, 8_192, 1 << 20), LoopServerTest::echo);
    RawClient a = connect();
    RawClient b = connect();
    assertThat(a.send(get("/a")).response().status()).isEqualTo(200);
    assertThat(b.send(get("/b")).response().status()).isEqualTo(200);
    RawClient third = connect();
    Refusal seen = assertRefused(third, third.send(get("/third")).response(), 503, "GET", "/third");
    assertThat(seen.message()).isEqualTo("The gateway has its limit of 2 open connections; retry shortly.");
    a.close();
    awaitConnections(server, 1);
    RawClient d = connect();
    assertThat(d.send(get("/d")).response().text()).isEqualTo("GET /d ");
    assertThat(b.send(get("/b2")).response().text()).isEqualTo("GET /b2 ");
    assertThat(refusals).isEmpty();
  }

  // 12. request bodies and their limit

  @Test
  void bodyTheHandlerIgnoresDoesNotDisturbTheConnection() throws Exception {
    start(ROOMY, ex -> {
      if (ex.path().equals("/ignore")) {
        ex.sendHeaders(204, -1);
        ex.end();
      } else {
        echo(ex);
      }
    });
    RawClient c = connect();
    String body = "{\"this\":\"is ignored\"}" + "z".repeat(10_000);
    assertThat(c.send(post("/ignore", body)).response().status()).isEqualTo(204);
    assertThat(c.send(post("/next", "read")).response().text()).isEqualTo("POST /next read");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void largeBodyArrivesWhole() throws Exception {
    start(ROOMY, ex -> send(ex, 200, Integer.toString(ex.requestBody().length)));
    RawClient c = connect();
    String body = "q".repeat(700_000);
    assertThat(c.send(post("/large", body)).response().text()).isEqualTo("700000");
    assertThat(c.send(post("/small", "abc")).response().text()).isEqualTo("3");
  }

  @Test
  void declaredBodyOverTheLimitIs413AtOnce() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(new LoopServer.Limits(16, 2_000, 2_000, 8_192, 256 * 1024), ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    // Only the head: the refusal does not wait for the body.
    c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + (300 * 1024) + "\r\n\r\n");
    Refusal seen = assertRefused(c, c.response(), 413, "POST", "/big");
    assertThat(seen.message()).isEqualTo("The request body is larger than the gateway's limit of 262144 bytes.");
    assertThat(handled).hasValue(0);
  }

  @Test
  void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(new LoopServer.Limits(16, 2_000, 2_000, 8_192, 10), ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    c.send("POST /grow HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n");
    assertThat(c.silentFor(100)).as("6 bytes are within the limit").isTrue();
    c.send("6\r\nghijkl\r\n0\r\n\r\n");
    assertRefused(c, c.response(), 413, "POST", "/grow");
    assertThat(handled).hasValue(0);
  }

  @Test
  void anAnswerBeforeALargeBodyEndsReachesAClientStillSendingIt() throws Exception {
    // The 413 is sent while the body is still coming: a plain close with unread bytes would
    // reset the connection, and the client could lose the answer.
    start(new LoopServer.Limits(16, 2_000, 2_000, 8_192, 1 << 20), LoopServerTest::echo);
    RawClient c = connect();
    c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + (4 << 20) + "\r\n\r\n");
    byte[] piece = new byte[64 * 1024];
    for (int i = 0; i < 8; i++) {
      c.send(piece);
    }
    RawClient.Response r = c.response();
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.text()).startsWith("refused: The request body is larger");
    assertThat(r.header("connection")).isEqualTo("close");
  }

  // 13. handler failures

  @Test
  void handlerThrowingBeforeAnsweringGetsABare500() throws Exception {
    start(ROOMY, ex -> {
      throw new IllegalStateException("secret detail sk-should-not-leak");
    });
    RawClient c = connect();
    RawClient.Response r = c.send(get("/boom")).response();
    assertThat(r.header("content-length")).isEqualTo("0");
    assertThat(r.head()).doesNotContain("secret");
    assertLastAnswer(c, r, 500, "");
  }

  @Test
  void handlerEndingWithoutAnAnswerGetsABare500() throws Exception {
    start(ROOMY, LoopExchange::end);
    RawClient c = connect();
    assertLastAnswer(c, c.send(get("/nothing")).response(), 500, "");
  }

  @Test
  void handlerThrowingBadRequestBeforeAnsweringIs400ThroughRefuse() throws Exception {
    start(ROOMY, ex -> {
      throw new BadRequest("no such thing");
    });
    RawClient c = connect();
    Refusal seen = assertRefused(c, c.send(get("/bad")).response(), 400, "GET", "/bad");
    assertThat(seen.message()).isEqualTo("Malformed HTTP request: no such thing.");
  }

  /** Fixed length: the body ends short of its length; chunked: without the last chunk. */
  @ParameterizedTest
  @CsvSource({"100, partial", "0, '7\r\npartial\r\n'"})
  void handlerThrowingAfterTheHeadClosesMidBody(long length, String expected) throws Exception {
    start(ROOMY, ex -> {
      sendPartial(ex, length);
      throw new IllegalStateException("boom");
    });
    assertThat(bodyUntilClose(connect().send(get("/boom")))).isEqualTo(expected);
  }

  @Test
  void fixedLengthAnswerEndedShortClosesTheConnection() throws Exception {
    start(ROOMY, ex -> {
      sendPartial(ex, 100);
      ex.end();
    });
    assertThat(bodyUntilClose(connect().send(get("/short")))).isEqualTo("partial");
  }

  /** Starts a 200 answer and sends its first bytes. */
  private static void sendPartial(LoopExchange ex, long length) throws IOException {
    ex.sendHeaders(200, length);
    ex.responseBody().write("partial".getBytes(StandardCharsets.US_ASCII));
    ex.responseBody().flush();
  }

  /** The raw bytes after a 200 head up to the connection's end. */
  private static String bodyUntilClose(RawClient c) throws IOException {
    assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
    while (!c.line().isEmpty()) {
      // skip the head
    }
    return new String(c.rest(), StandardCharsets.US_ASCII);
  }

  // 14. disconnects and backpressure

  @Test
  void onClosedFiresWhenTheClientResetsMidAnswer() throws Exception {
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.onClosed(() -> closed.complete(ex.clientGone()));
      sendPartial(ex, 0);
    });
    RawClient c = connect();
    c.send(get("/hang"));
    assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
    c.socket.setSoLinger(true, 0);
    c.close();
    assertThat(closed.get(5, TimeUnit.SECONDS)).as("clientGone() in the callback").isTrue();
    awaitConnections(server, 0);
  }

  @Test
  void onClosedFiresWhenTheServerClosesMidAnswer() throws Exception {
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.onClosed(() -> closed.complete(true));
      sendPartial(ex, 0);
    });
    RawClient c = connect();
    c.send(get("/hang"));
    assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
    server.close();
    assertThat(closed.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void onClosedDoesNotFireAfterANormalEnd() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    start(ROOMY, ex -> {
      ex.onClosed(closed::incrementAndGet);
      echo(ex);
    });
    RawClient c = connect();
    assertThat(c.send(get("/fine")).response().text()).isEqualTo("GET /fine ");
    c.socket.setSoLinger(true, 0);
    c.close();
    awaitConnections(server, 0);
    assertThat(closed).hasValue(0);
  }

  @Test
  void aClientThatDoesNotReadHoldsTheWriterBackAndGetsEveryByte() throws Exception {
    int piece = 64 * 1024;
    int total = 8 << 20;
    long bound = 256 * 1024;
    byte[] payload = new byte[total];
    for (int i = 0; i < total; i++) {
      payload[i] = (byte) (i * 31 + (i >>> 11));
    }
    AtomicLong maxQueued = new AtomicLong();
    AtomicInteger stalls = new AtomicInteger();
    CountDownLatch stalled = new CountDownLatch(1);
    CompletableFuture<Void> written = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.sendHeaders(200, total);
      new Runnable() {
        int sent;

        @Override
        public void run() {
          try {
            while (sent < total) {
              ex.responseBody().write(payload, sent, piece);
              sent += piece;
              maxQueued.accumulateAndGet(ex.queuedBytes(), Math::max);
              if (ex.queuedBytes() > bound) {
                ex.flush();
                if (ex.queuedBytes() > bound) {
                  stalls.incrementAndGet();
                  stalled.countDown();
                  ex.onDrained(this);
                  return;
                }
              }
            }
            ex.end();
            written.complete(null);
          } catch (IOException | RuntimeException e) {
            written.completeExceptionally(e);
          }
        }
      }.run();
    });
    // A small fixed receive buffer: the kernel cannot take the whole answer for the client.
    RawClient c = new RawClient(server.address(), 64 * 1024);
    clients.add(c);
    c.send(get("/big"));
    assertThat(stalled.await(10, TimeUnit.SECONDS)).as("the writer waits for the client").isTrue();
    assertThat(written).isNotDone();
    RawClient.Response r = c.response();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().length).isEqualTo(total);
    assertThat(r.body()).isEqualTo(payload);
    written.get(5, TimeUnit.SECONDS);
    assertThat(maxQueued.get()).as("bytes held by the server at most").isLessThanOrEqualTo(bound + piece);
    assertThat(stalls.get()).isPositive();
    assertThat(c.send(get("/big")).response().body()).as("the connection is kept").isEqualTo(payload);
  }

  @Test
  void aClientThatTakesNoneOfItsAnswerIsDroppedAfterTheIdleTimeout() throws Exception {
    // Like an upstream stream paused for backpressure: the answer is not ended and waits for the client.
    CompletableFuture<Long> closed = new CompletableFuture<>();
    long t0 = System.nanoTime();
    start(ROOMY, ex -> {
      ex.onClosed(() -> closed.complete(millisSince(t0)));
      ex.sendHeaders(200, 0);
      ex.responseBody().write(new byte[8 << 20]);
      ex.flush();
    });
    RawClient c = new RawClient(server.address(), 64 * 1024);
    clients.add(c);
    c.send(get("/never-read"));
    // Without a deadline the connection, and whatever its answer holds (an upstream call, a
    // concurrency permit), would stay until the client closed it.
    assertThat(closed.get(10, TimeUnit.SECONDS)).as("ms until the server gave up")
        .isGreaterThanOrEqualTo(ROOMY.idleTimeoutMs());
    awaitConnections(server, 0);
  }

  // 15. response headers

  @Test
  void headerValuesWithCrOrLfAreNotWritten() throws Exception {
    start(ROOMY, ex -> {
      ex.responseHeaders().set("x-split", "a\r\nx-injected: yes");
      ex.responseHeaders().set("x-lf", "b\nx-injected-lf: yes");
      ex.responseHeaders().set("x-cr", "c\rx-injected-cr: yes");
      ex.responseHeaders().set("bad name", "v");
      ex.responseHeaders().set("x-good", "fine");
      ex.responseHeaders().set("x-utf8", "caf\u00e9");
      ex.responseHeaders().add("x-multi", "one");
      ex.responseHeaders().add("x-multi", "two\r\n\r\n<html>");
      ex.sendHeaders(200, 2);
      ex.responseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
      ex.end();
    });
    RawClient c = connect();
    RawClient.Response r = c.send(get("/split")).response();
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.head()).doesNotContain("injected").doesNotContain("x-split").doesNotContain("x-lf")
        .doesNotContain("x-cr").doesNotContain("bad name").doesNotContain("<html>");
    assertThat(r.all("x-good")).containsExactly("fine");
    assertThat(r.all("x-utf8")).containsExactly(new String("caf\u00e9".getBytes(StandardCharsets.UTF_8),
        StandardCharsets.ISO_8859_1));
    assertThat(r.all("x-multi")).containsExactly("one");
    assertThat(c.send(get("/split")).response().text()).as("the connection is still in sync").isEqualTo("ok");
  }

  @Test
  void responseHeaderNamesThatAreNotTokensAreNotWritten() throws Exception {
    start(ROOMY, ex -> {
      ex.responseHeaders().set("x(paren)", "v");
      ex.responseHeaders().set("x\"quote\"", "v");
      ex.responseHeaders().set("x/slash", "v");
      ex.responseHeaders().set("x-good_1.2~", "fine");
      ex.sendHeaders(200, 2);
      ex.responseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
      ex.end();
    });
    RawClient.Response r = connect().send(get("/names")).response();
    assertThat(r.head()).doesNotContain("paren").doesNotContain("quote").doesNotContain("slash");
    assertThat(r.all("x-good_1.2~")).containsExactly("fine");
  }

  @Test
  void serverWritesDateAndFramingItselfIgnoringTheHandlers() throws Exception {
    start(ROOMY, ex -> {
      ex.responseHeaders().set("content-length", "999");
      ex.responseHeaders().set("transfer-encoding", "gzip");
      ex.responseHeaders().set("date", "yesterday");
      ex.responseHeaders().set("connection", "upgrade");
      boolean stream = ex.path().equals("/stream");
      ex.sendHeaders(200, stream ? 0 : 5);
      ex.responseBody().write("fives".getBytes(StandardCharsets.US_ASCII));
      ex.end();
    });
    RawClient c = connect();
    RawClient.Response fixed = c.send(get("/fixed")).response();
    assertThat(fixed.all("content-length")).containsExactly("5");
    assertThat(fixed.all("transfer-encoding")).isEmpty();
    assertThat(fixed.all("connection")).isEmpty();
    assertThat(fixed.all("date")).singleElement().asString().endsWith(" GMT").isNotEqualTo("yesterday");
    assertThat(fixed.text()).isEqualTo("fives");
    RawClient.Response streamed = c.send(get("/stream")).response();
    assertThat(streamed.all("transfer-encoding")).containsExactly("chunked");
    assertThat(streamed.all("content-length")).isEmpty();
    assertThat(streamed.all("date")).singleElement().asString().endsWith(" GMT");
    assertThat(streamed.rawText()).isEqualTo("5\r\nfives\r\n0\r\n\r\n");
  }

  @Test
  void handlersConnectionCloseIsHonoured() throws Exception {
    start(ROOMY, ex -> {
      ex.responseHeaders().set("Connection", "close");
      ex.sendHeaders(204, -1);
      ex.end();
    });
    RawClient c = connect();
    RawClient.Response r = c.send(get("/bye")).response();
    assertThat(r.all("connection")).containsExactly("close");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void reasonPhrasesFollowTheStatus() throws Exception {
    start(ROOMY, ex -> {
      ex.sendHeaders(Integer.parseInt(ex.path().substring(1)), -1);
      ex.end();
    });
    RawClient c = connect();
    for (String line : List.of("200 OK", "404 Not Found", "429 Too Many Requests", "529 Overloaded", "299 Status")) {
      c.send(get("/" + line.substring(0, 3)));
      assertThat(c.line()).isEqualTo("HTTP/1.1 " + line);
      while (!c.line().isEmpty()) {
        // skip the head; the body is empty
      }
    }
  }

  // 16. close()

  @Test
  void closeEndsConnectionsReleasesThePortAndLeavesNoThread() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    // An idle timeout far beyond the test's waits, so that only close() can end the connections.
    start(new LoopServer.Limits(16, 2_000, 60_000, 8_192, 1 << 20), LoopServerTest::echo);
    int port = server.address().getPort();
    RawClient a = connect();
    RawClient b = connect();
    assertThat(a.send(get("/a")).response().status()).isEqualTo(200);
    assertThat(b.send(get("/b")).response().status()).isEqualTo(200);
    assertThat(server.connections()).isEqualTo(2);
    server.close();
    assertThat(a.closedByServer()).isTrue();
    assertThat(b.closedByServer()).isTrue();
    awaitConnections(server, 0);
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
    server.close();
    for (EventLoop loop : loops) {
      loop.close();
    }
    List<Thread> left = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("junit")).toList();
    assertThat(left).as("threads left behind").isEmpty();
  }

  // 17. drain()

  @Test
  void drainClosesIdleConnectionsRefusesNewOnesAndFinishesTheAnswerInProgressAlone() throws Exception {
    CompletableFuture<LoopExchange> held = new CompletableFuture<>();
    AtomicInteger after = new AtomicInteger();
    start(new LoopServer.Limits(16, 2_000, 60_000, 8_192, 1 << 20), ex -> {
      switch (ex.path()) {
        case "/hold" -> held.complete(ex);
        case "/after" -> {
          after.incrementAndGet();
          echo(ex);
        }
        default -> echo(ex);
      }
    });
    RawClient idle = connect();
    assertThat(idle.send(get("/a")).response().status()).isEqualTo(200);
    RawClient busy = connect();
    busy.send(get("/hold") + get("/after"));
    LoopExchange ex = held.get(5, TimeUnit.SECONDS);

    assertThat(server.drain()).as("requests in progress").isEqualTo(1);
    assertThat(idle.closedByServer()).isTrue();
    try (java.net.Socket late = new java.net.Socket()) {
      assertThatThrownBy(() -> late.connect(server.address(), 2_000)).isInstanceOf(java.net.ConnectException.class);
    }
    assertThat(server.drained()).isNotDone();

    onLoop(ex, () -> send(ex, 200, "held"));
    assertLastAnswer(busy, busy.response(), 200, "held");
    server.drained().get(5, TimeUnit.SECONDS);
    assertThat(after).as("the pipelined request after it").hasValue(0);
    awaitConnections(server, 0);
  }

  @Test
  void drainLetsAStreamWhoseHeadIsOutEndAndThenCloses() throws Exception {
    CompletableFuture<LoopExchange> streaming = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.sendHeaders(200, 0);
      ex.responseBody().write("first ".getBytes(StandardCharsets.UTF_8));
      ex.flush();
      streaming.complete(ex);
    });
    RawClient c = connect();
    c.send(get("/stream"));
    LoopExchange ex = streaming.get(5, TimeUnit.SECONDS);
    assertThat(server.drain()).isEqualTo(1);
    onLoop(ex, () -> {
      ex.responseBody().write("second".getBytes(StandardCharsets.UTF_8));
      ex.end();
    });
    RawClient.Response r = c.response();
    assertThat(r.text()).isEqualTo("first second");
    assertThat(c.closedByServer()).isTrue();
    server.drained().get(5, TimeUnit.SECONDS);
  }

  @Test
  void cutAfterADrainClosesWhatIsStillInProgressAndCountsIt() throws Exception {
    CompletableFuture<LoopExchange> held = new CompletableFuture<>();
    CompletableFuture<Boolean> told = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.onClosed(() -> told.complete(true));
      held.complete(ex);
    });
    RawClient c = connect();
    c.send(get("/hold"));
    held.get(5, TimeUnit.SECONDS);
    assertThat(server.drain()).isEqualTo(1);
    assertThat(server.cut()).as("requests cut").isEqualTo(1);
    assertThat(told.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void startOnAPortInUseFailsAndLeavesNothingOpen() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    int port = server.address().getPort();
    assertThatThrownBy(() -> LoopServer.start(InetAddress.getLoopbackAddress(), port, 50, ROOMY,
        new LoopHandler() {
          @Override
          public void handle(LoopExchange ex) {}

          @Override
          public void refuse(LoopExchange ex, int status, String message) {}
        }, loops, log)).isInstanceOf(java.net.BindException.class);
    assertThat(connect().send(get("/still")).response().text()).isEqualTo("GET /still ");
  }

  @Test
  void nothingIsLoggedOnTheWay() throws Exception {
    start(ROOMY, LoopServerTest::echo);
    RawClient c = connect();
    c.send(get("/a") + "GARBAGE\r\n\r\n");
    assertThat(c.response().status()).isEqualTo(200);
    assertThat(c.response().status()).isEqualTo(400);
    assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
