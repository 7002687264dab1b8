package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.clawauth.gateway.translate.StreamEvent.End;
import dev.clawauth.gateway.translate.StreamEvent.Failure;
import dev.clawauth.gateway.translate.StreamEvent.Start;
import dev.clawauth.gateway.translate.StreamEvent.Stop;
import dev.clawauth.gateway.translate.StreamEvent.TextDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolArgumentsDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolCallStart;
import dev.clawauth.gateway.translate.UpstreamJson.ErrorBody;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Reads Chat Completions chunks, up to {@code data: [DONE]}. */
final class ChatStreamReader implements StreamReader {
  record Chunk(String id, List<Choice> choices, Usage usage, ErrorBody error) {}

  record Choice(Delta delta, String finishReason) {}

  record Delta(String content, List<ToolCall> toolCalls) {}

  record ToolCall(Integer index, String id, Function function) {}

  record Function(String name, String arguments) {}

  record Usage(long promptTokens, long completionTokens) {}

  private static final ObjectReader READER = UpstreamJson.reader(Chunk.class);

  private boolean started;
  private final Set<Integer> tools = new HashSet<>();

  @Override
  public void read(SseParser.Event sse, Consumer<StreamEvent> out) throws IOException {
    if (sse.data().equals("[DONE]")) {
      out.accept(new End());
      return;
    }
    Chunk c = READER.readValue(sse.data());
    if (c.error() != null) {
      out.accept(new Failure(c.error().describe()));
      return;
    }
    if (!started) {
      started = true;
      out.accept(new Start(c.id(), TokenUsage.NONE));
    }
    if (c.choices() != null && !c.choices().isEmpty()) {
      choice(c.choices().getFirst(), out);
    }
    if (c.usage() != null) {
      out.accept(new StreamEvent.Usage(new TokenUsage(c.usage().promptTokens(), c.usage().completionTokens())));
    }
  }

  private void choice(Choice choice, Consumer<StreamEvent> out) {
    Delta d = choice.delta();
    if (d != null && d.content() != null && !d.content().isEmpty()) {
      out.accept(new TextDelta(d.content()));
    }
    if (d != null && d.toolCalls() != null) {
      for (ToolCall t : d.toolCalls()) {
        // A server that numbers no calls starts a new one with each id, and continues the last without.
        int index = t.index() != null ? t.index() : t.id() != null ? tools.size() : Math.max(tools.size() - 1, 0);
        if (t.id() != null && tools.add(index)) {
          out.accept(new ToolCallStart(index, t.id(), t.function() == null ? null : t.function().name()));
        }
        if (t.function() != null && t.function().arguments() != null && !t.function().arguments().isEmpty()) {
          out.accept(new ToolArgumentsDelta(index, t.function().arguments()));
        }
      }
    }
    if (choice.finishReason() != null) {
      StopReason reason = StopReason.fromChat(choice.finishReason());
      // Some OpenAI-compatible servers say "stop" after tool calls; the client must still run them.
      out.accept(new Stop(reason == StopReason.END_TURN && !tools.isEmpty() ? StopReason.TOOL_USE : reason));
    }
  }
}
