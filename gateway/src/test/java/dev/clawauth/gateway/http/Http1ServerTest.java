package dev.clawauth.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP/1.1 server on real loopback sockets, driven byte by byte from plain sockets. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class Http1ServerTest {
  /** Generous limits for tests that are not about them. */
  static final Http1Server.Limits ROOMY = new Http1Server.Limits(16, 2_000, 2_000, 8_192);

  /** What a test's handler does with a request. */
  interface Answer {
    void handle(Exchange ex) throws Exception;
  }

  /** A request the server turned away, as the handler's refuse() saw it. */
  record Refusal(int status, String method, String path, String message) {}

  final BlockingQueue<Refusal> refusals = new LinkedBlockingQueue<>();
  final List<Thread> connectionThreads = new CopyOnWriteArrayList<>();
  final List<Http1Server> servers = new ArrayList<>();
  final List<RawClient> clients = new ArrayList<>();
  Http1Server server;

  @AfterEach
  void stopEverything() throws Exception {
    for (RawClient c : clients) {
      c.close();
    }
    for (Http1Server s : servers) {
      s.close();
    }
    for (Http1Server s : servers) {
      awaitConnections(s, 0);
    }
    for (Thread t : connectionThreads) {
      t.join(3_000);
      assertThat(t.isAlive()).as("connection thread %s still running", t.getName()).isFalse();
    }
  }

  private Http1Server start(Http1Server.Limits limits, Answer answer) throws IOException {
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "http-test-conn");
      t.setDaemon(true);
      connectionThreads.add(t);
      return t;
    };
    server = Http1Server.start(InetAddress.getLoopbackAddress(), 0, 50, limits, new Handler() {
      @Override
      public void handle(Exchange ex) throws Exception {
        answer.handle(ex);
      }

      @Override
      public void refuse(Exchange ex, int status, String message) throws IOException {
        refusals.add(new Refusal(status, ex.method(), ex.path(), message));
        byte[] body = ("refused: " + message).getBytes(StandardCharsets.UTF_8);
        ex.sendHeaders(status, body.length);
        ex.responseBody().write(body);
      }
    }, threads);
    servers.add(server);
    return server;
  }

  private RawClient connect() throws IOException {
    RawClient c = new RawClient(server.address());
    clients.add(c);
    return c;
  }

  /** Answers "METHOD path body" with a content-length. */
  static void echo(Exchange ex) throws IOException {
    byte[] body = ex.requestBody().readAllBytes();
    byte[] reply = (ex.method() + " " + ex.path() + " " + new String(body, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    ex.sendHeaders(200, reply.length);
    ex.responseBody().write(reply);
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }

  static String post(String path, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  static void awaitConnections(Http1Server s, int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
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
  private void assertRefused(RawClient c, RawClient.Response r, int status, String method, String path)
      throws Exception {
    Refusal seen = refusals.poll(2, TimeUnit.SECONDS);
    assertThat(seen).isNotNull();
    assertThat(List.<Object>of(seen.status(), seen.method(), seen.path())).containsExactly(status, method, path);
    assertLastAnswer(c, r, status, "refused: " + seen.message());
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  // 1. keep-alive

  @Test
  void keepAliveAnswersTwoRequestsOnOneConnection() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
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
    start(ROOMY, Http1ServerTest::echo);
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

  // 2. pipelining

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
    RawClient c = connect();
    c.send(get("/one") + post("/two", "body two") + get("/three"));
    assertThat(c.response().text()).isEqualTo("GET /one ");
    assertThat(c.response().text()).isEqualTo("POST /two body two");
    assertThat(c.response().text()).isEqualTo("GET /three ");
    assertThat(c.silentFor(100)).isTrue();
  }

  // 3. chunked request bodies

  @Test
  void chunkedRequestBodyIsDechunkedPastExtensionsAndTrailers() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
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

  @ParameterizedTest
  @ValueSource(strings = {"zz", "-5", "+5", "", "5 5", "0x5", "ffffffffffffffffff"})
  void malformedChunkSizeIs400AndClosesTheConnection(String size) throws Exception {
    start(ROOMY, Http1ServerTest::echo);
    RawClient c = connect();
    c.send("POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n" + size + "\r\nhello\r\n0\r\n\r\n");
    assertRefused(c, c.response(), 400, "POST", "/chunks");
  }

  @Test
  void chunkDataNotFollowedByCrlfIs400() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
    RawClient c = connect();
    c.send("POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n");
    assertThat(c.response().status()).isEqualTo(400);
    assertThat(c.closedByServer()).isTrue();
  }

  // 4. chunked responses

  @Test
  void chunkedResponseStreamsEachFlushedWriteBeforeTheHandlerEnds() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    CountDownLatch secondSeen = new CountDownLatch(1);
    CompletableFuture<Boolean> handlerDone = new CompletableFuture<>();
    start(ROOMY, ex -> {
      ex.sendHeaders(200, 0);
      OutputStream out = ex.responseBody();
      out.write("first".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      boolean one = firstSeen.await(5, TimeUnit.SECONDS);
      out.write("second event".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      boolean two = secondSeen.await(5, TimeUnit.SECONDS);
      out.write("x".repeat(300).getBytes(StandardCharsets.US_ASCII));
      handlerDone.complete(one && two);
    });
    RawClient c = connect();
    c.send(get("/stream"));
    assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
    List<String> head = new ArrayList<>();
    for (String h; !(h = c.line()).isEmpty();) {
      head.add(h);
    }
    assertThat(head).contains("transfer-encoding: chunked").noneMatch(h -> h.startsWith("content-length"));
    // Each chunk arrives while the handler is still blocked: streamed, not buffered.
    assertThat(new String(c.bytes(10), StandardCharsets.US_ASCII)).isEqualTo("5\r\nfirst\r\n");
    assertThat(handlerDone).isNotDone();
    firstSeen.countDown();
    assertThat(new String(c.bytes(17), StandardCharsets.US_ASCII)).isEqualTo("c\r\nsecond event\r\n");
    assertThat(handlerDone).isNotDone();
    secondSeen.countDown();
    assertThat(new String(c.bytes(5 + 300 + 2 + 5), StandardCharsets.US_ASCII))
        .isEqualTo("12c\r\n" + "x".repeat(300) + "\r\n0\r\n\r\n");
    assertThat(handlerDone.get(2, TimeUnit.SECONDS)).isTrue();
    // The connection stays usable after the terminating chunk.
    c.send(get("/again"));
    firstSeen.countDown();
    assertThat(c.response().text()).isEqualTo("first" + "second event" + "x".repeat(300));
  }

  // 5. Expect: 100-continue

  @Test
  void continueIsSentOnlyWhenTheHandlerReadsTheBody() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch mayRead = new CountDownLatch(1);
    start(ROOMY, ex -> {
      entered.countDown();
      mayRead.await(5, TimeUnit.SECONDS);
      echo(ex);
    });
    RawClient c = connect();
    c.send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    assertThat(entered.await(2, TimeUnit.SECONDS)).isTrue();
    assertThat(c.silentFor(200)).as("no 100 Continue before the handler reads").isTrue();
    mayRead.countDown();
    assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
    assertThat(c.line()).isEmpty();
    c.send("hello");
    RawClient.Response r = c.response();
    assertThat(r.text()).isEqualTo("POST /upload hello");
    assertThat(r.header("connection")).isNull();
    assertThat(c.send(get("/next")).response().text()).isEqualTo("GET /next ");
  }

  @Test
  void answerWithoutReadingAnExpectedBodySaysCloseAndCloses() throws Exception {
    start(ROOMY, ex -> {
      byte[] b = "too large".getBytes(StandardCharsets.US_ASCII);
      ex.sendHeaders(413, b.length);
      ex.responseBody().write(b);
    });
    RawClient c = connect();
    c.send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    // The client did not get its go-ahead and may or may not send the body: the connection cannot be reused.
    assertLastAnswer(c, c.response(), 413, "too large");
  }

  @Test
  void expectContinueWithoutABodyKeepsTheConnection() throws Exception {
    start(ROOMY, ex -> ex.sendHeaders(204, -1));
    RawClient c = connect();
    RawClient.Response r = c.send("GET /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n\r\n").response();
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.header("connection")).isNull();
    assertThat(c.send(get("/y")).response().status()).isEqualTo(204);
  }

  @Test
  void expectContinueFromAnHttp10ClientIsIgnored() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
    RawClient c = connect();
    c.send("POST /old HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
    // RFC 9110 10.1.1: a server MUST NOT send 100 (Continue) to an HTTP/1.0 client.
    RawClient.Response r = c.response();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("POST /old hello");
  }

  // 6. HTTP/1.0

  @Test
  void http10RequestIsAnsweredAndTheConnectionCloses() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
    RawClient c = connect();
    assertLastAnswer(c, c.send("GET /old HTTP/1.0\r\n\r\n").response(), 200, "GET /old ");
  }

  @Test
  void http10KeepAliveKeepsTheConnectionAndSaysSo() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
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
    start(ROOMY, Http1ServerTest::echo);
    RawClient c = connect();
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing, even with keep-alive asked.
    c.send("POST /old HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n" + "GET /smuggled HTTP/1.0\r\n\r\n");
    RawClient.Response r = c.response();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void http10BodyOfUnknownLengthIsSentUntilClose() throws Exception {
    start(ROOMY, ex -> {
      ex.sendHeaders(200, 0);
      ex.responseBody().write("part one, ".getBytes(StandardCharsets.US_ASCII));
      ex.responseBody().flush();
      ex.responseBody().write("part two".getBytes(StandardCharsets.US_ASCII));
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
    start(ROOMY, ex -> ex.sendHeaders(200, 42));
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
    start(new Http1Server.Limits(16, 2_000, 2_000, 1_024), ex -> {
      handled.incrementAndGet();
      echo(ex);
    });
    RawClient c = connect();
    c.send("GET /big HTTP/1.1\r\nHost: t\r\nX-Pad: " + "p".repeat(2_000) + "\r\n\r\n");
    assertRefused(c, c.response(), 431, "GET", "/big");
    assertThat(handled).hasValue(0);
  }

  @Test
  void headLargerThanMaxHeadBytesIs431WhenItArrivesInPieces() throws Exception {
    start(new Http1Server.Limits(16, 2_000, 2_000, 1_024), Http1ServerTest::echo);
    RawClient c = connect();
    c.send("GET /pieces HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 20; i++) {
      c.send("X-Pad-" + i + ": " + "p".repeat(90) + "\r\n");
    }
    assertRefused(c, c.response(), 431, "GET", "/pieces");
  }

  @Test
  void headOfExactlyMaxHeadBytesIsAccepted() throws Exception {
    start(new Http1Server.Limits(16, 2_000, 2_000, 1_024), Http1ServerTest::echo);
    String start = "GET /fits HTTP/1.1\r\nX-Pad: ";
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
      "GET / HTTP/1.1\r\nX-Bare-Cr: a\rb\r\n\r\n"})
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
      "Content-Length: 5\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: gzip, chunked",
      "Content-Length: 5\r\nContent-Length: 6",
      "Content-Length: 5, 6",
      "Content-Length: +5",
      "Content-Length: -5",
      "Content-Length: five",
      "Content-Length: 99999999999999999999"})
  void contradictoryOrMalformedFramingIs400WhenTheBodyIsRead(String framing) throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    start(ROOMY, ex -> {
      try {
        ex.requestBody();
      } catch (IOException e) {
        thrown.complete(e);
        throw e;
      }
      thrown.complete(null);
      echo(ex);
    });
    RawClient c = connect();
    RawClient.Response r = c.send("POST /smuggle HTTP/1.1\r\nHost: t\r\n" + framing + "\r\n\r\nhello").response();
    assertThat(thrown.get(2, TimeUnit.SECONDS)).isInstanceOf(BadRequest.class);
    assertRefused(c, r, 400, "POST", "/smuggle");
  }

  @Test
  void framingThatIsNeverReadStillClosesTheConnection() throws Exception {
    start(ROOMY, ex -> ex.sendHeaders(204, -1));
    RawClient c = connect();
    c.send("POST /ignored HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n" + get("/smuggled"));
    assertThat(c.response().status()).isEqualTo(204);
    // Which framing is right is unknowable, so the bytes after the head cannot be trusted as a request.
    assertThat(c.closedByServer()).isTrue();
  }

  // 8. slow head

  @Test
  void slowHeadGets408WithWhatArrivedWhileOthersAreServed() throws Exception {
    start(new Http1Server.Limits(16, 1_000, 5_000, 8_192), Http1ServerTest::echo);
    RawClient slow = connect();
    long sent = System.nanoTime();
    slow.send("GET /slow?x=1 HTTP/1.1\r\nHost: t\r\nX-Half: par");
    RawClient.Response fast = connect().send(get("/fast")).response();
    assertThat(fast.text()).isEqualTo("GET /fast ");
    assertThat(refusals).as("the fast client did not wait for the slow one").isEmpty();
    RawClient.Response r = slow.response();
    assertThat(millisSince(sent)).isBetween(950L, 3_000L);
    assertRefused(slow, r, 408, "GET", "/slow");
  }

  @Test
  void halfARequestLineGets408WithNothingParsed() throws Exception {
    start(new Http1Server.Limits(16, 300, 5_000, 8_192), Http1ServerTest::echo);
    RawClient slow = connect();
    slow.send("GET /sl");
    assertRefused(slow, slow.response(), 408, "", "");
  }

  // 9. slow body

  @Test
  void bodyTimesOutForTheWholeRequestEvenWhenBytesKeepTrickling() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    AtomicInteger got = new AtomicInteger();
    start(new Http1Server.Limits(16, 500, 5_000, 8_192), ex -> {
      InputStream in = ex.requestBody();
      try {
        while (in.read() >= 0) {
          got.incrementAndGet();
        }
        thrown.complete(null);
      } catch (IOException e) {
        thrown.complete(e);
        throw e;
      }
    });
    RawClient c = connect();
    c.send("POST /trickle HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n");
    long start = System.nanoTime();
    Thread trickler = Thread.ofPlatform().daemon().start(() -> {
      try {
        for (int i = 0; i < 40 && !thrown.isDone(); i++) {
          c.send("b");
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException stop) {
        // the server closed the connection
      }
    });
    try {
      // Every read gets a byte within 100 ms, far under the 500 ms limit: only a deadline for the whole body ends it.
      assertThat(thrown.get(3, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class);
      assertThat(millisSince(start)).isLessThan(2_500);
      assertThat(got.get()).isBetween(1, 20);
      RawClient.Response r = c.response();
      assertThat(r.status()).isEqualTo(500);
      assertThat(c.closedByServer()).isTrue();
    } finally {
      trickler.join(5_000);
    }
  }

  // 10. idle keep-alive

  @Test
  void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
    start(new Http1Server.Limits(16, 2_000, 300, 8_192), Http1ServerTest::echo);
    RawClient c = connect();
    assertThat(c.send(get("/once")).response().status()).isEqualTo(200);
    long answered = System.nanoTime();
    assertThat(c.closedByServer()).isTrue();
    assertThat(millisSince(answered)).isBetween(150L, 2_000L);
    awaitConnections(server, 0);
    assertThat(refusals).as("an idle close answers nothing").isEmpty();
  }

  // 11. maxConnections

  @Test
  void connectionBeyondTheLimitGets503UntilOneCloses() throws Exception {
    start(new Http1Server.Limits(2, 2_000, 5_000, 8_192), Http1ServerTest::echo);
    RawClient a = connect();
    RawClient b = connect();
    assertThat(a.send(get("/a")).response().status()).isEqualTo(200);
    assertThat(b.send(get("/b")).response().status()).isEqualTo(200);
    RawClient third = connect();
    assertRefused(third, third.send(get("/third")).response(), 503, "GET", "/third");
    a.close();
    awaitConnections(server, 1);
    RawClient d = connect();
    assertThat(d.send(get("/d")).response().text()).isEqualTo("GET /d ");
    assertThat(b.send(get("/b2")).response().text()).isEqualTo("GET /b2 ");
    assertThat(refusals).isEmpty();
  }

  // 12. unread request bodies

  @Test
  void smallUnreadBodyIsSkippedAndTheConnectionKept() throws Exception {
    start(ROOMY, ex -> {
      if (ex.path().equals("/ignore")) {
        ex.sendHeaders(204, -1);
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
  void largeUnreadBodyClosesTheConnectionAfterTheResponse() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    start(ROOMY, ex -> {
      handled.incrementAndGet();
      byte[] b = "ok".getBytes(StandardCharsets.US_ASCII);
      ex.sendHeaders(200, b.length);
      ex.responseBody().write(b);
    });
    RawClient c = connect();
    c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + (300 * 1024) + "\r\n\r\n" + "y".repeat(4_096));
    RawClient.Response r = c.response();
    assertThat(r.text()).isEqualTo("ok");
    assertThat(c.closedByServer()).isTrue();
    assertThat(handled).hasValue(1);
  }

  @Test
  void anAnswerBeforeALargeBodyEndsReachesAClientStillSendingIt() throws Exception {
    // The answer is sent while the body is still coming: a plain close with unread bytes would
    // reset the connection, and the client could lose the answer.
    start(ROOMY, ex -> {
      byte[] b = "too large".getBytes(StandardCharsets.US_ASCII);
      ex.sendHeaders(413, b.length);
      ex.responseBody().write(b);
    });
    RawClient c = connect();
    c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + (4 << 20) + "\r\n\r\n");
    byte[] piece = new byte[64 * 1024];
    for (int i = 0; i < 8; i++) {
      c.send(piece);
    }
    RawClient.Response r = c.response();
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.text()).isEqualTo("too large");
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
  void malformedBodyFoundAfterAChunkedHeadClosesWithoutTheLastChunk() throws Exception {
    start(ROOMY, ex -> {
      sendPartial(ex, 0);
      ex.requestBody().readAllBytes();
      ex.responseBody().write("all read".getBytes(StandardCharsets.US_ASCII));
    });
    RawClient c = connect();
    c.send("POST /bad HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n");
    // A terminating chunk would tell the client that a failed answer is complete.
    assertThat(bodyUntilClose(c)).isEqualTo("7\r\npartial\r\n");
  }

  /** Starts a 200 answer and sends its first bytes. */
  private static void sendPartial(Exchange ex, long length) throws IOException {
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

  // 14. response headers

  @Test
  void headerValuesWithCrOrLfAreNotWritten() throws Exception {
    start(ROOMY, ex -> {
      ex.responseHeaders().set("x-split", "a\r\nx-injected: yes");
      ex.responseHeaders().set("x-lf", "b\nx-injected-lf: yes");
      ex.responseHeaders().set("x-cr", "c\rx-injected-cr: yes");
      ex.responseHeaders().set("bad name", "v");
      ex.responseHeaders().set("x-good", "fine");
      ex.responseHeaders().add("x-multi", "one");
      ex.responseHeaders().add("x-multi", "two\r\n\r\n<html>");
      ex.sendHeaders(200, 2);
      ex.responseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
    });
    RawClient c = connect();
    RawClient.Response r = c.send(get("/split")).response();
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.head()).doesNotContain("injected").doesNotContain("x-split").doesNotContain("x-lf")
        .doesNotContain("x-cr").doesNotContain("bad name").doesNotContain("<html>");
    assertThat(r.all("x-good")).containsExactly("fine");
    assertThat(r.all("x-multi")).containsExactly("one");
    assertThat(c.send(get("/split")).response().text()).as("the connection is still in sync").isEqualTo("ok");
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
    });
    RawClient c = connect();
    RawClient.Response r = c.send(get("/bye")).response();
    assertThat(r.all("connection")).containsExactly("close");
    assertThat(c.closedByServer()).isTrue();
  }

  // 15. close()

  @Test
  void closeEndsIdleConnectionsAndTheirThreadsAndReleasesThePort() throws Exception {
    // An idle timeout far beyond the test's waits, so that only close() can end the connections.
    start(new Http1Server.Limits(16, 2_000, 60_000, 8_192), Http1ServerTest::echo);
    int port = server.address().getPort();
    RawClient a = connect();
    RawClient b = connect();
    assertThat(a.send(get("/a")).response().status()).isEqualTo(200);
    assertThat(b.send(get("/b")).response().status()).isEqualTo(200);
    assertThat(server.connections()).isEqualTo(2);
    assertThat(connectionThreads).hasSize(2).allMatch(Thread::isAlive);
    server.close();
    assertThat(a.closedByServer()).isTrue();
    assertThat(b.closedByServer()).isTrue();
    for (Thread t : connectionThreads) {
      t.join(2_000);
      assertThat(t.isAlive()).isFalse();
    }
    awaitConnections(server, 0);
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
    server.close();
  }

  @Test
  void startOnAPortInUseFailsAndLeavesNothingOpen() throws Exception {
    start(ROOMY, Http1ServerTest::echo);
    int port = server.address().getPort();
    assertThatThrownBy(() -> Http1Server.start(InetAddress.getLoopbackAddress(), port, 50, ROOMY,
        new Handler() {
          @Override
          public void handle(Exchange ex) {}

          @Override
          public void refuse(Exchange ex, int status, String message) {}
        }, Thread::new)).isInstanceOf(java.net.BindException.class);
    assertThat(connect().send(get("/still")).response().text()).isEqualTo("GET /still ");
  }
}
