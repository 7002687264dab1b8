package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.clawauth.gateway.Api;
import dev.clawauth.gateway.translate.StreamEvent.End;
import dev.clawauth.gateway.translate.StreamEvent.Failure;
import dev.clawauth.gateway.translate.StreamEvent.Start;
import dev.clawauth.gateway.translate.StreamEvent.Stop;
import dev.clawauth.gateway.translate.StreamEvent.TextDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolArgumentsDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolCallStart;
import java.io.IOException;

/** Writes Chat Completions chunks, ending with a usage chunk when the client asked for it and {@code data: [DONE]}. */
final class ChatStreamWriter implements ClientWriter {
  /** Writes fields of an object that another method opened. */
  private interface Fields {
    void write() throws IOException;
  }

  private final SseSink sink = new SseSink();
  private final String model;
  private final long created;
  private final boolean usageChunk;
  private String id;
  private boolean over;
  private StopReason stop = StopReason.END_TURN;
  private TokenUsage usage = TokenUsage.NONE;

  ChatStreamWriter(String model, long created, boolean usageChunk) {
    this.model = model;
    this.created = created;
    this.usageChunk = usageChunk;
  }

  @Override
  public void accept(StreamEvent event) {
    if (over) {
      return;
    }
    switch (event) {
      case Start s -> start(s.id());
      case TextDelta t -> {
        start(null);
        chunk(g -> g.writeStringField("content", t.text()), null);
      }
      case ToolCallStart c -> {
        start(null);
        chunk(g -> toolCall(g, c.index(), () -> {
          g.writeStringField("id", c.id());
          g.writeStringField("type", "function");
        }, () -> {
          g.writeStringField("name", c.name());
          g.writeStringField("arguments", "");
        }), null);
      }
      case ToolArgumentsDelta a -> {
        start(null);
        chunk(g -> toolCall(g, a.index(), () -> { }, () -> g.writeStringField("arguments", a.json())), null);
      }
      case Stop s -> stop = s.reason();
      case StreamEvent.Usage u -> usage = u.usage();
      case End x -> end();
      case Failure f -> {
        sink.raw(Api.OPENAI_CHAT.streamError(f.message()));
        over = true;
      }
    }
  }

  private static void toolCall(JsonGenerator g, int index, Fields head, Fields function)
      throws IOException {
    g.writeArrayFieldStart("tool_calls");
    g.writeStartObject();
    g.writeNumberField("index", index);
    head.write();
    g.writeObjectFieldStart("function");
    function.write();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
  }

  private void start(String upstreamId) {
    if (id != null) {
      return;
    }
    id = ReplyBodies.clientId(Dialect.CHAT_COMPLETIONS, upstreamId);
    chunk(g -> {
      g.writeStringField("role", "assistant");
      g.writeStringField("content", "");
    }, null);
  }

  /** A chunk whose {@code delta} object holds the fields {@code delta} writes. */
  private void chunk(SseSink.Json delta, String finishReason) {
    sink.event(null, g -> {
      head(g);
      g.writeArrayFieldStart("choices");
      g.writeStartObject();
      g.writeNumberField("index", 0);
      g.writeObjectFieldStart("delta");
      delta.write(g);
      g.writeEndObject();
      g.writeNullField("logprobs");
      g.writeStringField("finish_reason", finishReason);
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private void head(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("object", "chat.completion.chunk");
    g.writeNumberField("created", created);
    g.writeStringField("model", model);
  }

  private void end() {
    start(null);
    chunk(g -> { }, stop.chat());
    // Its empty choices break clients that read chunk.choices[0] without having asked for it.
    if (usageChunk && !usage.equals(TokenUsage.NONE)) {
      sink.event(null, g -> {
        head(g);
        g.writeArrayFieldStart("choices");
        g.writeEndArray();
        g.writeFieldName("usage");
        ReplyBodies.chatUsage(g, usage);
        g.writeEndObject();
      });
    }
    sink.ascii("data: [DONE]\n\n");
    over = true;
  }

  @Override
  public byte[] drain() {
    return sink.drain();
  }
}
