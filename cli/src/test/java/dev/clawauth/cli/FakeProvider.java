package dev.clawauth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A model provider on 127.0.0.1 for probe and gateway tests. It answers by credential: each key or
 * token is scripted with a status (and optionally a delay) or a stream held after its first event,
 * and every request is recorded with its path and the auth headers that arrived.
 */
final class FakeProvider implements AutoCloseable {

  /** One request as the server saw it. */
  record Seen(String method, String path, String credential, Map<String, String> headers) {}

  private record Answer(int status, long delayMs, String body) {}

  /** An event stream that stops after its first event until {@code release}. */
  private record Held(java.util.concurrent.CountDownLatch firstSent, java.util.concurrent.CountDownLatch release) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

  FakeProvider() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeProvider answer(String credential, int status) {
    return answer(credential, status, 0);
  }

  FakeProvider answer(String credential, int status, long delayMs) {
    String body = status == 200 ? "{\"data\":[{\"id\":\"model-1\"}]}"
        : "{\"error\":{\"message\":\"scripted " + status + " for this key\"}}";
    answers.put(credential, new Answer(status, delayMs, body));
    return this;
  }

  /**
   * Answers {@code credential} with an Anthropic message stream that sends its first event, counts
   * {@code firstSent} down, and sends the rest (its text is "drained") once {@code release} is.
   */
  FakeProvider holdStream(String credential, java.util.concurrent.CountDownLatch firstSent,
      java.util.concurrent.CountDownLatch release) {
    held.put(credential, new Held(firstSent, release));
    return this;
  }

  /** The most requests that were being answered at the same moment. */
  int maxInFlight() {
    return maxInFlight.get();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  Seen seenWith(String credential) {
    return seen.stream().filter(s -> credential.equals(s.credential())).findFirst()
        .orElseThrow(() -> new AssertionError("no request arrived with that credential; saw " + seen.size()));
  }

  private void handle(HttpExchange ex) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try (ex) {
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      String auth = headers.getOrDefault("authorization", "");
      String credential = auth.startsWith("Bearer ") ? auth.substring(7)
          : headers.getOrDefault("x-api-key", headers.getOrDefault("x-goog-api-key", ""));
      seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), credential, java.util.Collections.unmodifiableMap(headers)));
      Held h = held.get(credential);
      if (h != null) {
        stream(ex, h);
        return;
      }
      Answer a = answers.getOrDefault(credential, new Answer(401, 0, "{\"error\":\"unknown key\"}"));
      if (a.delayMs() > 0) {
        try {
          Thread.sleep(a.delayMs());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("content-type", "application/json");
      ex.sendResponseHeaders(a.status(), body.length);
      ex.getResponseBody().write(body);
    } catch (IOException clientGone) {
      // The prober gave up (timeout); nothing to answer.
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static void stream(HttpExchange ex, Held h) throws IOException {
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().add("content-type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    var out = ex.getResponseBody();
    out.write(("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    h.firstSent().countDown();
    try {
      h.release().await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    out.write(("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\"drained\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
