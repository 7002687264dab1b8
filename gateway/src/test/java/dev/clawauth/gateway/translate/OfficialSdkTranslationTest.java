package dev.clawauth.gateway.translate;

import static dev.clawauth.gateway.translate.StreamTranslatorsTest.MAPPER;
import static dev.clawauth.gateway.translate.StreamTranslatorsTest.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.sun.net.httpserver.HttpServer;
import dev.clawauth.gateway.translate.StreamTranslatorsTest.Answer;
import dev.clawauth.gateway.translate.StreamTranslatorsTest.Call;
import dev.clawauth.gateway.translate.StreamTranslatorsTest.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translated answers as the official Java SDKs read them: served over real HTTP on 127.0.0.1,
 * streamed through the SDKs' own accumulators or parsed as whole bodies.
 */
class OfficialSdkTranslationTest {
  private static HttpServer server;
  private static volatile byte[] answer;
  private static volatile boolean sse;
  private static AnthropicClient anthropic;
  private static OpenAIClient openai;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().add("content-type", sse ? "text/event-stream" : "application/json");
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(url).apiKey("test").maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
    openai = OpenAIOkHttpClient.builder().baseUrl(url + "/v1").apiKey("test").maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Dialect up : Dialect.values()) {
      for (Dialect client : Dialect.values()) {
        for (Kind kind : List.of(Kind.TEXT, Kind.TOOL, Kind.TWO_TOOLS, Kind.MAX_TOKENS)) {
          all.add(Arguments.of(up, client, kind));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} to {1}: {2}")
  @MethodSource("cases")
  void theSdkStreamsTheSameAnswer(Dialect upstream, Dialect client, Kind kind) throws IOException {
    answer = StreamTranslatorsTest.run(upstream, client, true, kind);
    sse = true;
    assertThat(read(client, true)).isEqualTo(StreamTranslatorsTest.expected(upstream, kind));
  }

  @ParameterizedTest(name = "{0} to {1}: {2}")
  @MethodSource("cases")
  void theSdkReadsTheGatheredBody(Dialect upstream, Dialect client, Kind kind) throws IOException {
    answer = StreamTranslatorsTest.run(upstream, client, false, kind);
    sse = false;
    assertThat(read(client, false)).isEqualTo(StreamTranslatorsTest.expected(upstream, kind));
  }

  private static Answer read(Dialect client, boolean stream) throws IOException {
    return switch (client) {
      case MESSAGES -> {
        MessageCreateParams params = MessageCreateParams.builder().model("m").maxTokens(100).addUserMessage("hi").build();
        Message m;
        if (stream) {
          MessageAccumulator acc = MessageAccumulator.create();
          try (StreamResponse<RawMessageStreamEvent> events = anthropic.messages().createStreaming(params)) {
            events.stream().forEach(acc::accumulate);
          }
          m = acc.message();
        } else {
          m = anthropic.messages().create(params);
        }
        yield answer(m);
      }
      case CHAT_COMPLETIONS -> {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("m").addUserMessage("hi").build();
        ChatCompletion c;
        if (stream) {
          ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
          try (var events = openai.chat().completions().createStreaming(params)) {
            events.stream().forEach((ChatCompletionChunk chunk) -> acc.accumulate(chunk));
          }
          c = acc.chatCompletion();
        } else {
          c = openai.chat().completions().create(params);
        }
        yield answer(c);
      }
      case RESPONSES -> {
        ResponseCreateParams params = ResponseCreateParams.builder().model("m").input("hi").build();
        Response r;
        if (stream) {
          ResponseAccumulator acc = ResponseAccumulator.create();
          try (var events = openai.responses().createStreaming(params)) {
            events.stream().forEach((ResponseStreamEvent e) -> acc.accumulate(e));
          }
          r = acc.response();
        } else {
          r = openai.responses().create(params);
        }
        yield answer(r);
      }
    };
  }

  private static Answer answer(Message m) throws IOException {
    assertThat(m.model().asString()).isEqualTo(MODEL);
    StringBuilder text = new StringBuilder();
    List<Call> calls = new ArrayList<>();
    for (ContentBlock b : m.content()) {
      b.text().ifPresent(t -> text.append(t.text()));
      if (b.toolUse().isPresent()) {
        var t = b.toolUse().get();
        calls.add(new Call(t.id(), t.name(), canonical(MAPPER.writeValueAsString(t._input()))));
      }
    }
    StopReason stop = StopReason.fromMessages(m.stopReason().orElseThrow().asString());
    return new Answer(text.isEmpty() ? null : text.toString(), calls, stop,
        new dev.clawauth.gateway.translate.TokenUsage(m.usage().inputTokens(), m.usage().outputTokens()));
  }

  private static Answer answer(ChatCompletion c) throws IOException {
    assertThat(c.model()).isEqualTo(MODEL);
    var message = c.choices().getFirst().message();
    List<Call> calls = new ArrayList<>();
    for (ChatCompletionMessageToolCall t : message.toolCalls().orElse(List.of())) {
      var f = t.asFunction();
      calls.add(new Call(f.id(), f.function().name(), canonical(f.function().arguments())));
    }
    StopReason stop = StopReason.fromChat(c.choices().getFirst().finishReason().asString());
    var usage = c.usage().orElseThrow();
    return new Answer(message.content().filter(s -> !s.isEmpty()).orElse(null), calls, stop,
        new dev.clawauth.gateway.translate.TokenUsage(usage.promptTokens(), usage.completionTokens()));
  }

  private static Answer answer(Response r) throws IOException {
    assertThat(r.model().asString()).isEqualTo(MODEL);
    StringBuilder text = new StringBuilder();
    List<Call> calls = new ArrayList<>();
    for (ResponseOutputItem item : r.output()) {
      item.message().ifPresent(msg -> msg.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
      if (item.functionCall().isPresent()) {
        var f = item.functionCall().get();
        calls.add(new Call(f.callId(), f.name(), canonical(f.arguments())));
      }
    }
    StopReason stop = r.incompleteDetails().flatMap(d -> d.reason()).map(reason -> reason.asString())
        .map(reason -> reason.equals("max_output_tokens") ? StopReason.MAX_TOKENS : StopReason.REFUSAL)
        .orElse(calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_USE);
    var usage = r.usage().orElseThrow();
    return new Answer(text.isEmpty() ? null : text.toString(), calls, stop,
        new dev.clawauth.gateway.translate.TokenUsage(usage.inputTokens(), usage.outputTokens()));
  }

  /** Arguments as the fixtures write them, so equal JSON compares equal whatever its spacing. */
  private static String canonical(String json) throws IOException {
    var tree = MAPPER.readTree(json);
    return tree.toString().equals(MAPPER.readTree(StreamTranslatorsTest.ARGS).toString()) ? StreamTranslatorsTest.ARGS
        : tree.toString().equals(MAPPER.readTree(StreamTranslatorsTest.ARGS2).toString()) ? StreamTranslatorsTest.ARGS2
        : json;
  }
}
