package dev.clawauth.gateway.translate;

import dev.clawauth.gateway.Api;
import dev.clawauth.gateway.translate.StreamEvent.End;
import dev.clawauth.gateway.translate.StreamEvent.Failure;
import dev.clawauth.gateway.translate.StreamEvent.Start;
import dev.clawauth.gateway.translate.StreamEvent.Stop;
import dev.clawauth.gateway.translate.StreamEvent.TextDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolArgumentsDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolCallStart;
import java.util.HashMap;
import java.util.Map;

/** Writes an Anthropic Messages event stream: one content block per text run or tool call. */
final class MessagesStreamWriter implements ClientWriter {
  private final SseSink sink = new SseSink();
  private final String model;
  /** Tool call number to its content block index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private int nextBlock;
  /** The open content block's index, or -1. */
  private int open = -1;
  private boolean openIsText;
  private boolean started;
  private boolean over;
  private StopReason stop = StopReason.END_TURN;
  private TokenUsage usage = TokenUsage.NONE;

  MessagesStreamWriter(String model) {
    this.model = model;
  }

  @Override
  public void accept(StreamEvent event) {
    if (over) {
      return;
    }
    switch (event) {
      case Start s -> start(s.id(), s.usage());
      case TextDelta t -> text(t.text());
      case ToolCallStart c -> toolCall(c);
      case ToolArgumentsDelta a -> {
        Integer block = toolBlocks.get(a.index());
        if (block != null) {
          blockDelta(block, "input_json_delta", "partial_json", a.json());
        }
      }
      case Stop s -> stop = s.reason();
      case StreamEvent.Usage u -> usage = u.usage();
      case End x -> end();
      case Failure f -> {
        sink.raw(Api.ANTHROPIC_MESSAGES.streamError(f.message()));
        over = true;
      }
    }
  }

  private void start(String id, TokenUsage known) {
    if (started) {
      return;
    }
    started = true;
    String messageId = ReplyBodies.clientId(Dialect.MESSAGES, id);
    sink.event("message_start", g -> {
      g.writeStartObject();
      g.writeStringField("type", "message_start");
      g.writeObjectFieldStart("message");
      g.writeStringField("id", messageId);
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeStringField("model", model);
      g.writeArrayFieldStart("content");
      g.writeEndArray();
      g.writeNullField("stop_reason");
      g.writeNullField("stop_sequence");
      g.writeFieldName("usage");
      ReplyBodies.messagesUsage(g, known);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private void text(String text) {
    start(null, TokenUsage.NONE);
    if (open < 0 || !openIsText) {
      int index = openBlock(true);
      sink.event("content_block_start", g -> {
        g.writeStartObject();
        g.writeStringField("type", "content_block_start");
        g.writeNumberField("index", index);
        g.writeObjectFieldStart("content_block");
        g.writeStringField("type", "text");
        g.writeStringField("text", "");
        g.writeEndObject();
        g.writeEndObject();
      });
    }
    blockDelta(open, "text_delta", "text", text);
  }

  private void blockDelta(int index, String type, String field, String value) {
    sink.event("content_block_delta", g -> {
      g.writeStartObject();
      g.writeStringField("type", "content_block_delta");
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("delta");
      g.writeStringField("type", type);
      g.writeStringField(field, value);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private void toolCall(ToolCallStart c) {
    start(null, TokenUsage.NONE);
    int index = openBlock(false);
    toolBlocks.put(c.index(), index);
    sink.event("content_block_start", g -> {
      g.writeStartObject();
      g.writeStringField("type", "content_block_start");
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("content_block");
      g.writeStringField("type", "tool_use");
      g.writeStringField("id", c.id());
      g.writeStringField("name", c.name());
      g.writeObjectFieldStart("input");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** Closes the open block and opens the next; returns its index. */
  private int openBlock(boolean text) {
    closeBlock();
    open = nextBlock++;
    openIsText = text;
    return open;
  }

  private void closeBlock() {
    if (open < 0) {
      return;
    }
    int index = open;
    open = -1;
    sink.event("content_block_stop", g -> {
      g.writeStartObject();
      g.writeStringField("type", "content_block_stop");
      g.writeNumberField("index", index);
      g.writeEndObject();
    });
  }

  private void end() {
    start(null, TokenUsage.NONE);
    closeBlock();
    sink.event("message_delta", g -> {
      g.writeStartObject();
      g.writeStringField("type", "message_delta");
      g.writeObjectFieldStart("delta");
      g.writeStringField("stop_reason", stop.messages());
      g.writeNullField("stop_sequence");
      g.writeEndObject();
      g.writeFieldName("usage");
      ReplyBodies.messagesUsage(g, usage);
      g.writeEndObject();
    });
    sink.event("message_stop", g -> {
      g.writeStartObject();
      g.writeStringField("type", "message_stop");
      g.writeEndObject();
    });
    over = true;
  }

  @Override
  public byte[] drain() {
    return sink.drain();
  }
}
