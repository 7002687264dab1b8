package dev.clawauth.gateway.translate;

import dev.clawauth.gateway.Api;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every upstream/client pair over recorded-shape fixtures, fed whole, a byte at a time and at random splits. */
class StreamTranslatorsTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_764_000_000L), ZoneOffset.UTC);
  static final String MODEL = "client-model";

  /** The fixtures' kinds; the same answer in each upstream dialect. */
  enum Kind {
    TEXT, TOOL, TWO_TOOLS, MAX_TOKENS, ERROR, TRUNCATED;

    boolean fails() {
      return this == ERROR || this == TRUNCATED;
    }
  }

  record Call(String id, String name, String arguments) {}

  /** What every client must end up with, whichever wire carried it. */
  record Answer(String text, List<Call> calls, StopReason stop, TokenUsage usage) {}

  static final String ARGS = "{\"location\": \"Paris, France\", \"unit\": \"celsius\"}";
  static final String ARGS2 = "{\"location\": \"London\"}";

  static Answer expected(Dialect upstream, Kind kind) {
    return switch (kind) {
      case TEXT -> new Answer("Hello, wörld 👋 — ünïcödé", List.of(), StopReason.END_TURN, new TokenUsage(35, 15));
      case TOOL -> new Answer("Let me check.", List.of(new Call(switch (upstream) {
        case MESSAGES -> "toolu_01A09q90qw90lq917835lq9";
        case CHAT_COMPLETIONS -> "call_DdmO9pD3xa9XTPNJ32zg2hcA";
        case RESPONSES -> "call_FxZ3rVZnJrDW1mBjxBlr3gPs";
      }, "get_weather", ARGS)), StopReason.TOOL_USE, new TokenUsage(120, 40));
      case TWO_TOOLS -> {
        String prefix = upstream == Dialect.MESSAGES ? "toolu_01" : "call_";
        String[] ids = upstream == Dialect.MESSAGES ? new String[] {"T1x1", "T2x2"} : new String[] {"T1", "T2"};
        yield new Answer(null, List.of(new Call(prefix + ids[0], "get_weather", ARGS),
            new Call(prefix + ids[1], "get_weather", ARGS2)), StopReason.TOOL_USE, new TokenUsage(130, 60));
      }
      case MAX_TOKENS -> new Answer("The answer is", List.of(), StopReason.MAX_TOKENS, new TokenUsage(10, 5));
      case ERROR, TRUNCATED -> throw new IllegalArgumentException(kind + " has no answer");
    };
  }

  /** The failure the client is told of. */
  static String failure(Dialect upstream, Kind kind) {
    if (kind == Kind.TRUNCATED) {
      return "the upstream stream ended before its final event";
    }
    return upstream == Dialect.MESSAGES ? "Overloaded (overloaded_error)" : "Overloaded (server_error)";
  }

  static byte[] fixture(Dialect upstream, Kind kind) {
    String prefix = switch (upstream) {
      case MESSAGES -> "messages";
      case CHAT_COMPLETIONS -> "chat";
      case RESPONSES -> "responses";
    };
    String name = kind == Kind.TRUNCATED ? "tool" : kind.name().toLowerCase().replace('_', '-');
    try (InputStream in = StreamTranslatorsTest.class.getResourceAsStream(prefix + "-" + name + ".sse")) {
      byte[] all = in.readAllBytes();
      if (kind != Kind.TRUNCATED) {
        return all;
      }
      // Cut inside the event that carries the third piece of the tool's arguments.
      String text = new String(all, StandardCharsets.UTF_8);
      int cut = text.indexOf("ris, Fr") + 3;
      return text.substring(0, cut).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StreamTranslator translator(Dialect upstream, Dialect client, boolean streams) {
    return StreamTranslators.create(upstream, client, streams, true, MODEL, CLOCK);
  }

  /**
   * Feeds {@code input} cut at the given sizes (cycled); returns everything the client got. A
   * client that does not stream gets nothing before the end: its answer is one body.
   */
  static byte[] run(StreamTranslator t, byte[] input, int[] sizes, boolean streams) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    for (int i = 0; at < input.length; i++) {
      int n = Math.min(sizes[i % sizes.length], input.length - at);
      byte[] now = t.feed(ByteBuffer.wrap(input, at, n));
      if (!streams) {
        assertThat(now).as("bytes before the end of a whole answer").isEmpty();
      }
      out.writeBytes(now);
      at += n;
    }
    out.writeBytes(t.finish());
    return out.toByteArray();
  }

  static byte[] run(Dialect upstream, Dialect client, boolean streams, Kind kind) {
    byte[] in = fixture(upstream, kind);
    return run(translator(upstream, client, streams), in, new int[] {in.length}, streams);
  }

  static Stream<Arguments> pairs() {
    List<Arguments> all = new ArrayList<>();
    for (Dialect up : Dialect.values()) {
      for (Dialect client : Dialect.values()) {
        all.add(Arguments.of(up, client, true));
        all.add(Arguments.of(up, client, false));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} to {1}, client streams: {2}")
  @MethodSource("pairs")
  void theClientGetsTheSameBytesWhereverTheUpstreamsChunksSplit(Dialect upstream, Dialect client, boolean streams) {
    Random random = new Random(20261203L);
    for (Kind kind : Kind.values()) {
      byte[] in = fixture(upstream, kind);
      StreamTranslator whole = translator(upstream, client, streams);
      byte[] expected = run(whole, in, new int[] {in.length}, streams);
      assertThat(expected).as(kind.name()).isNotEmpty();
      assertThat(new String(run(translator(upstream, client, streams), in, new int[] {1}, streams), StandardCharsets.UTF_8))
          .as(kind + " a byte at a time").isEqualTo(new String(expected, StandardCharsets.UTF_8));
      for (int round = 0; round < 20; round++) {
        int[] sizes = random.ints(64, 1, 40).toArray();
        assertThat(new String(run(translator(upstream, client, streams), in, sizes, streams), StandardCharsets.UTF_8))
            .as(kind + " at random splits, round " + round).isEqualTo(new String(expected, StandardCharsets.UTF_8));
      }
      if (kind.fails()) {
        assertThat(whole.failure()).as(kind.name()).isEqualTo(failure(upstream, kind));
      } else {
        assertThat(whole.failure()).as(kind.name()).isNull();
        assertThat(whole.usage()).as(kind + " usage").isEqualTo(expected(upstream, kind).usage());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void chatToolCallsWithoutAnIndexAreTwoCallsWhenTheyHaveTwoIds() throws IOException {
    String chunk = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}\n\n";
    String stream = chunk.formatted("{\"role\":\"assistant\"}", "null")
        + chunk.formatted("{\"tool_calls\":[{\"id\":\"call_a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\"\"}}]}", "null")
        + chunk.formatted("{\"tool_calls\":[{\"function\":{\"arguments\":\":1}\"}}]}", "null")
        + chunk.formatted("{\"tool_calls\":[{\"id\":\"call_b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", "\"stop\"")
        + "data: [DONE]\n\n";
    byte[] in = stream.getBytes(StandardCharsets.UTF_8);
    JsonNode body = MAPPER.readTree(run(translator(Dialect.CHAT_COMPLETIONS, Dialect.MESSAGES, false), in,
        new int[] {in.length}, false));
    assertThat(body.path("content").toString()).isEqualTo("[{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"f\","
        + "\"input\":{\"x\":1}},{\"type\":\"tool_use\",\"id\":\"call_b\",\"name\":\"g\",\"input\":{}}]");
    // "stop" after tool calls still tells the client to run them.
    assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
  }

  /** A Claude tool call without arguments: no input_json_delta, or one with an empty partial_json. */
  static byte[] messagesToolWithoutArguments(boolean emptyDelta) {
    String stream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":9,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"now","input":{}}}

        """ + (emptyDelta ? """
        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

        """ : "") + """
        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":7}}

        event: message_stop
        data: {"type":"message_stop"}

        """;
    return stream.getBytes(StandardCharsets.UTF_8);
  }

  /** The tool call arguments a client gets: the concatenated deltas of a stream, or the whole answer's. */
  private static String arguments(Dialect client, boolean streams, byte[] out) throws IOException {
    if (!streams) {
      JsonNode body = MAPPER.readTree(out);
      return client == Dialect.CHAT_COMPLETIONS ? body.at("/choices/0/message/tool_calls/0/function/arguments").asText()
          : body.at("/output/0/arguments").asText();
    }
    List<SseParser.Event> events = new ArrayList<>();
    new SseParser().feed(ByteBuffer.wrap(out), events::add);
    StringBuilder args = new StringBuilder();
    for (SseParser.Event e : events) {
      if (e.data().equals("[DONE]")) {
        continue;
      }
      JsonNode d = MAPPER.readTree(e.data());
      if (client == Dialect.CHAT_COMPLETIONS) {
        args.append(d.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
      } else if (d.path("type").asText().equals("response.function_call_arguments.delta")) {
        args.append(d.path("delta").asText());
      } else if (d.path("type").asText().equals("response.output_item.done")) {
        assertThat(d.at("/item/arguments").asText()).as("the item's arguments").isEqualTo("{}");
      }
    }
    return args.toString();
  }

  @org.junit.jupiter.api.Test
  void aClaudeToolCallWithoutArgumentsReachesOpenAiClientsAsAnEmptyObject() throws IOException {
    for (Dialect client : List.of(Dialect.CHAT_COMPLETIONS, Dialect.RESPONSES)) {
      for (boolean streams : List.of(true, false)) {
        for (boolean emptyDelta : List.of(true, false)) {
          byte[] in = messagesToolWithoutArguments(emptyDelta);
          byte[] out = run(translator(Dialect.MESSAGES, client, streams), in, new int[] {in.length}, streams);
          assertThat(arguments(client, streams, out)).as(client + ", streams: " + streams + ", empty delta: "
              + emptyDelta).isEqualTo("{}");
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aChatStreamEndsWithTheUsageChunkOnlyWhenTheClientAskedForIt() throws IOException {
    byte[] in = fixture(Dialect.MESSAGES, Kind.TEXT);
    for (boolean asked : List.of(true, false)) {
      StreamTranslator t = StreamTranslators.create(Dialect.MESSAGES, Dialect.CHAT_COMPLETIONS, true, asked, MODEL,
          CLOCK);
      List<SseParser.Event> events = new ArrayList<>();
      new SseParser().feed(ByteBuffer.wrap(run(t, in, new int[] {in.length}, true)), events::add);
      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      List<JsonNode> chunks = new ArrayList<>();
      for (SseParser.Event e : events.subList(0, events.size() - 1)) {
        chunks.add(MAPPER.readTree(e.data()));
      }
      if (asked) {
        assertThat(chunks.getLast().path("choices").isEmpty()).isTrue();
        assertThat(chunks.getLast().at("/usage/prompt_tokens").asLong()).isEqualTo(35);
      } else {
        // Clients that read chunk.choices[0] without asking for usage must find a choice in every chunk.
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("choices").size()).isEqualTo(1));
        assertThat(chunks).noneSatisfy(c -> assertThat(c.has("usage")).isTrue());
      }
      // The gateway still knows the usage, to count it for the client's key.
      assertThat(t.usage()).isEqualTo(new TokenUsage(35, 15));
    }
  }

  @org.junit.jupiter.api.Test
  void aLineLongerThanTheLimitFailsTheStreamInsteadOfFillingTheHeap() {
    StreamTranslator t = translator(Dialect.MESSAGES, Dialect.CHAT_COMPLETIONS, true);
    byte[] start = fixture(Dialect.MESSAGES, Kind.TEXT);
    String first = new String(t.feed(ByteBuffer.wrap(start, 0, start.length / 2)), StandardCharsets.UTF_8);
    assertThat(first).contains("\"role\":\"assistant\"");
    byte[] endless = new byte[1 << 20];
    java.util.Arrays.fill(endless, (byte) 'x');
    String out = "";
    for (int i = 0; i <= SseParser.MAX_LINE >> 20; i++) {
      out += new String(t.feed(ByteBuffer.wrap(endless)), StandardCharsets.UTF_8);
    }
    assertThat(t.failure()).isEqualTo("the upstream sent a stream line longer than 16 MiB");
    assertThat(out).isEqualTo(new String(Api.of(Dialect.CHAT_COMPLETIONS)
        .streamError("upstream error: " + t.failure()), StandardCharsets.UTF_8));
    assertThat(t.feed(ByteBuffer.wrap(endless))).isEmpty();
    assertThat(t.finish()).isEmpty();
  }

  @ParameterizedTest(name = "{0} to {1}, client streams: {2}")
  @MethodSource("pairs")
  void aFailedUpstreamEndsTheAnswerWithTheClientsOwnErrorShape(Dialect upstream, Dialect client, boolean streams) {
    for (Kind kind : List.of(Kind.ERROR, Kind.TRUNCATED)) {
      String out = new String(run(upstream, client, streams, kind), StandardCharsets.UTF_8);
      String message = "upstream error: " + failure(upstream, kind);
      var api = Api.of(client);
      if (streams) {
        assertThat(out).as(kind.name()).endsWith(new String(api.streamError(message), StandardCharsets.UTF_8));
        // What arrived before the failure still reached the client.
        assertThat(out).as(kind.name()).contains(kind == Kind.ERROR ? "Partial" : "Let me ");
      } else {
        assertThat(out).as(kind.name()).isEqualTo(new String(api.error(502, message), StandardCharsets.UTF_8));
      }
    }
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("pairs")
  void everyClientEventIsWellFormedForItsDialect(Dialect upstream, Dialect client, boolean streams) throws IOException {
    if (!streams) {
      return;
    }
    for (Kind kind : List.of(Kind.TEXT, Kind.TOOL, Kind.TWO_TOOLS, Kind.MAX_TOKENS)) {
      List<SseParser.Event> events = new ArrayList<>();
      new SseParser().feed(ByteBuffer.wrap(run(upstream, client, true, kind)), events::add);
      switch (client) {
        case MESSAGES -> messagesEvents(events);
        case CHAT_COMPLETIONS -> chatEvents(events);
        case RESPONSES -> responsesEvents(events);
      }
    }
  }

  /** Named events whose data's type is the name; blocks open, take deltas of their own kind, and close, one at a time. */
  private static void messagesEvents(List<SseParser.Event> events) throws IOException {
    assertThat(events.getFirst().name()).isEqualTo("message_start");
    assertThat(events.getLast().name()).isEqualTo("message_stop");
    assertThat(events.get(events.size() - 2).name()).isEqualTo("message_delta");
    int open = -1;
    int next = 0;
    String openType = null;
    for (SseParser.Event e : events) {
      JsonNode data = MAPPER.readTree(e.data());
      assertThat(data.path("type").asText()).isEqualTo(e.name());
      switch (e.name()) {
        case "message_start" -> {
          assertThat(data.at("/message/model").asText()).isEqualTo(MODEL);
          assertThat(data.at("/message/id").asText()).startsWith("msg_");
        }
        case "content_block_start" -> {
          assertThat(open).as("a block opened inside another").isEqualTo(-1);
          assertThat(data.path("index").asInt()).isEqualTo(next++);
          open = data.path("index").asInt();
          openType = data.at("/content_block/type").asText();
        }
        case "content_block_delta" -> {
          assertThat(data.path("index").asInt()).isEqualTo(open);
          assertThat(data.at("/delta/type").asText()).isEqualTo(openType.equals("text") ? "text_delta" : "input_json_delta");
        }
        case "content_block_stop" -> {
          assertThat(data.path("index").asInt()).isEqualTo(open);
          open = -1;
        }
        case "message_delta" -> assertThat(open).as("a block left open").isEqualTo(-1);
        default -> { }
      }
    }
  }

  private static void chatEvents(List<SseParser.Event> events) throws IOException {
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    JsonNode first = MAPPER.readTree(events.getFirst().data());
    assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    for (SseParser.Event e : events.subList(0, events.size() - 1)) {
      assertThat(e.name()).isNull();
      JsonNode chunk = MAPPER.readTree(e.data());
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("id").asText()).startsWith("chatcmpl-");
      assertThat(chunk.path("model").asText()).isEqualTo(MODEL);
      assertThat(chunk.path("created").asLong()).isEqualTo(CLOCK.instant().getEpochSecond());
    }
  }

  private static void responsesEvents(List<SseParser.Event> events) throws IOException {
    assertThat(events.getFirst().name()).isEqualTo("response.created");
    assertThat(events.get(1).name()).isEqualTo("response.in_progress");
    assertThat(events.getLast().name()).isIn("response.completed", "response.incomplete");
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = MAPPER.readTree(events.get(i).data());
      assertThat(data.path("type").asText()).isEqualTo(events.get(i).name());
      assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
      if (data.has("response")) {
        assertThat(data.at("/response/id").asText()).startsWith("resp_");
        assertThat(data.at("/response/model").asText()).isEqualTo(MODEL);
      }
    }
  }
}
