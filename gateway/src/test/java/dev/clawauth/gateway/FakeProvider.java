package dev.clawauth.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A provider on loopback for the tests: records every request (path, headers, body), answers by
 * a script chosen per credential (so each profile can fail its own way), and streams SSE event by
 * event.
 */
final class FakeProvider implements AutoCloseable {
  record Seen(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return String.join(",", e.getValue());
        }
      }
      return null;
    }

    /** The credential the gateway sent: x-api-key or the bearer token. */
    String credential() {
      String k = header("x-api-key");
      if (k != null) {
        return k;
      }
      String a = header("authorization");
      return a == null ? null : a.replaceFirst("(?i)^Bearer ", "");
    }
  }

  /** How to answer one request. */
  interface Script {
    void answer(HttpExchange ex, Seen seen) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Map<String, Script> byCredential = new ConcurrentHashMap<>();
  volatile Function<Seen, Script> fallback = s -> ok();
  /** Counts streams whose client went away before the end. */
  final CountDownLatch streamCancelled = new CountDownLatch(1);

  FakeProvider() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeProvider when(String credential, Script script) {
    byCredential.put(credential, script);
    return this;
  }

  Seen last() {
    return seen.get(seen.size() - 1);
  }

  /** Thrown by a script to drop the connection without ending the response properly. */
  static final class Die extends RuntimeException {
    Die() {
      super("dropping the connection on purpose", null, false, false);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body);
      seen.add(s);
      Script script = s.credential() == null ? null : byCredential.get(s.credential());
      (script != null ? script : fallback.apply(s)).answer(ex, s);
    } catch (Die die) {
      throw die;
    } catch (IOException | InterruptedException e) {
      // the gateway went away; recorded by the streaming scripts themselves
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---- scripts

  static Script json(int status, String body, String... headers) {
    return (ex, s) -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        ex.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      ex.getResponseHeaders().set("content-type", "application/json");
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
    };
  }

  /** A successful answer in the dialect of the path asked. */
  static Script ok() {
    return (ex, s) -> {
      boolean stream = s.body().contains("\"stream\":true");
      if (s.path().endsWith("/messages")) {
        if (stream) {
          anthropicStream("Hello from fake", 0, -1).answer(ex, s);
        } else {
          json(200, anthropicMessage("Hello from fake")).answer(ex, s);
        }
      } else if (s.path().endsWith("/count_tokens")) {
        json(200, "{\"input_tokens\":42}").answer(ex, s);
      } else if (s.path().endsWith("/chat/completions")) {
        if (stream) {
          sse(List.of(chatChunk("Hello", null), chatChunk(" from fake", "stop"), "[DONE]"), 0, -1, null).answer(ex, s);
        } else {
          json(200, chatCompletion("Hello from fake")).answer(ex, s);
        }
      } else if (s.path().endsWith("/responses")) {
        json(200, responseObject("Hello from fake")).answer(ex, s);
      } else {
        json(404, "{\"error\":{\"message\":\"no such path\"}}").answer(ex, s);
      }
    };
  }

  static String anthropicMessage(String text) {
    return "{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-5\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":4}}";
  }

  static String chatCompletion(String text) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,"
        + "\"total_tokens\":3}}";
  }

  static String chatChunk(String text, String finish) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  static String responseObject(String text) {
    return "{\"id\":\"resp_fake\",\"object\":\"response\",\"created_at\":1,\"status\":\"completed\",\"error\":null,"
        + "\"incomplete_details\":null,\"instructions\":null,\"model\":\"gpt-5\",\"output\":[{\"type\":\"message\","
        + "\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
        + "\"text\":\"" + text + "\",\"annotations\":[]}]}],\"parallel_tool_calls\":false,\"temperature\":null,"
        + "\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":null}";
  }

  /** An Anthropic event stream of {@code text} in word deltas; {@code breakAfter} >= 0 drops the connection then. */
  static Script anthropicStream(String text, long delayMs, int breakAfter) {
    return sseRaw(anthropicEvents(text), delayMs, breakAfter, null);
  }

  /** An Anthropic event stream of {@code text} that stops after its first event until {@code release}. */
  static Script anthropicStreamHeld(String text, CountDownLatch firstSent, CountDownLatch release) {
    return sseRaw(anthropicEvents(text), 0, -1, firstSent, release);
  }

  private static List<String> anthropicEvents(String text) {
    List<String> events = new java.util.ArrayList<>();
    events.add("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-opus-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}");
    events.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    for (String w : text.split("(?<= )")) {
      events.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + w + "\"}}");
    }
    events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
    events.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}");
    events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
    return events;
  }

  static Script sse(List<String> dataLines, long delayMs, int breakAfter, CountDownLatch firstSent) {
    return sseRaw(dataLines.stream().map(d -> "data: " + d).toList(), delayMs, breakAfter, firstSent);
  }

  /** Sends each event, flushing, with a pause between; notes when the reader went away. */
  Script endless(String firstEvent, long delayMs, CountDownLatch firstSent) {
    return (ex, s) -> {
      ex.getResponseHeaders().set("content-type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      try {
        out.write((firstEvent + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        firstSent.countDown();
        for (int i = 0; i < 600; i++) {
          Thread.sleep(delayMs);
          out.write("event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException gone) {
        streamCancelled.countDown();
      }
    };
  }

  static Script sseRaw(List<String> events, long delayMs, int breakAfter, CountDownLatch firstSent) {
    return sseRaw(events, delayMs, breakAfter, firstSent, null);
  }

  /** {@code release}, when not null: the stream waits for it after its first event. */
  static Script sseRaw(List<String> events, long delayMs, int breakAfter, CountDownLatch firstSent,
      CountDownLatch release) {
    return (ex, s) -> {
      ex.getResponseHeaders().set("content-type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      int i = 0;
      for (String e : events) {
        if (breakAfter >= 0 && i == breakAfter) {
          // Die without finishing the chunked body.
          throw new Die();
        }
        out.write((e + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (i == 0 && firstSent != null) {
          firstSent.countDown();
        }
        if (i == 0 && release != null) {
          release.await();
        }
        i++;
        if (delayMs > 0) {
          Thread.sleep(delayMs);
        }
      }
    };
  }

  static void await(CountDownLatch l) throws InterruptedException {
    if (!l.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("timed out waiting");
    }
  }
}
