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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads Anthropic Messages stream events; thinking blocks have no counterpart on the other wires and are skipped. */
final class MessagesStreamReader implements StreamReader {
  record Event(String type, Message message, Integer index, Block contentBlock, Delta delta, Usage usage,
      ErrorBody error) {}

  record Message(String id, Usage usage) {}

  record Block(String type, String id, String name, String text) {}

  record Delta(String type, String text, String partialJson, String stopReason) {}

  record Usage(long inputTokens, long outputTokens, long cacheCreationInputTokens, long cacheReadInputTokens) {
    /** Anthropic counts cached prompt tokens apart; the other wires count them in the input. */
    TokenUsage tokens() {
      return new TokenUsage(inputTokens + cacheCreationInputTokens + cacheReadInputTokens, outputTokens);
    }
  }

  private static final ObjectReader READER = UpstreamJson.reader(Event.class);

  /** Content block index to tool call number, for the blocks that are tool calls. */
  private final Map<Integer, Integer> tools = new HashMap<>();
  /** Content block indexes of tool calls that got argument bytes. */
  private final Set<Integer> withArguments = new HashSet<>();
  /** Content block indexes of text blocks. */
  private final Map<Integer, Boolean> texts = new HashMap<>();

  @Override
  public void read(SseParser.Event sse, Consumer<StreamEvent> out) throws IOException {
    Event e = READER.readValue(sse.data());
    String type = e.type() == null ? "" : e.type();
    switch (type) {
      case "message_start" -> {
        Message m = e.message();
        out.accept(new Start(m == null ? null : m.id(),
            m == null || m.usage() == null ? TokenUsage.NONE : m.usage().tokens()));
      }
      case "content_block_start" -> blockStart(e, out);
      case "content_block_delta" -> blockDelta(e, out);
      case "content_block_stop" -> blockStop(e, out);
      case "message_delta" -> {
        if (e.delta() != null && e.delta().stopReason() != null) {
          out.accept(new Stop(StopReason.fromMessages(e.delta().stopReason())));
        }
        if (e.usage() != null) {
          out.accept(new StreamEvent.Usage(e.usage().tokens()));
        }
      }
      case "message_stop" -> out.accept(new End());
      case "error" -> out.accept(new Failure(e.error() == null ? "error" : e.error().describe()));
      default -> { }
    }
  }

  private void blockStart(Event e, Consumer<StreamEvent> out) {
    Block b = e.contentBlock();
    if (b == null || e.index() == null) {
      return;
    }
    switch (b.type()) {
      case "text" -> {
        texts.put(e.index(), true);
        if (b.text() != null && !b.text().isEmpty()) {
          out.accept(new TextDelta(b.text()));
        }
      }
      case "tool_use" -> {
        int n = tools.size();
        tools.put(e.index(), n);
        out.accept(new ToolCallStart(n, b.id(), b.name()));
      }
      default -> { }
    }
  }

  private void blockDelta(Event e, Consumer<StreamEvent> out) {
    Delta d = e.delta();
    if (d == null || e.index() == null || d.type() == null) {
      return;
    }
    switch (d.type()) {
      case "text_delta" -> {
        if (texts.containsKey(e.index()) && d.text() != null && !d.text().isEmpty()) {
          out.accept(new TextDelta(d.text()));
        }
      }
      case "input_json_delta" -> {
        Integer n = tools.get(e.index());
        if (n != null && d.partialJson() != null && !d.partialJson().isEmpty()) {
          withArguments.add(e.index());
          out.accept(new ToolArgumentsDelta(n, d.partialJson()));
        }
      }
      default -> { }
    }
  }

  /**
   * A tool call without arguments streams no argument bytes (or an empty {@code partial_json}),
   * while the other dialects' clients parse {@code arguments} as a JSON object, as Anthropic's
   * whole answers give it ({@code "input": {}}).
   */
  private void blockStop(Event e, Consumer<StreamEvent> out) {
    Integer n = e.index() == null ? null : tools.get(e.index());
    if (n != null && !withArguments.contains(e.index())) {
      withArguments.add(e.index());
      out.accept(new ToolArgumentsDelta(n, "{}"));
    }
  }
}
