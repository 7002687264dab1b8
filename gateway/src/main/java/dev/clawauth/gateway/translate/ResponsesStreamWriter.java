package dev.clawauth.gateway.translate;

import dev.clawauth.gateway.Api;
import dev.clawauth.gateway.translate.StreamEvent.End;
import dev.clawauth.gateway.translate.StreamEvent.Failure;
import dev.clawauth.gateway.translate.StreamEvent.Start;
import dev.clawauth.gateway.translate.StreamEvent.TextDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolArgumentsDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolCallStart;

/**
 * Writes an OpenAI Responses event stream: one output item per text run or function call, each
 * event numbered, and the whole response object at the end (so the answer is gathered as it goes).
 */
final class ResponsesStreamWriter implements ClientWriter {
  private final SseSink sink = new SseSink();
  private final ReplyBuilder reply = new ReplyBuilder();
  private final String model;
  private final long created;
  private int sequence;
  /** The response's id, in the Responses form, fixed at the first event. */
  private String id;
  /** The output position of the open item, or -1. */
  private int open = -1;
  private boolean openIsText;
  private boolean started;
  private boolean over;

  ResponsesStreamWriter(String model, long created) {
    this.model = model;
    this.created = created;
  }

  @Override
  public void accept(StreamEvent event) {
    if (over) {
      return;
    }
    switch (event) {
      case Start s -> {
        reply.accept(s);
        start();
      }
      case TextDelta t -> text(t);
      case ToolCallStart c -> {
        start();
        closeItem();
        int position = reply.accept(c);
        open = position;
        openIsText = false;
        event("response.output_item.added", g -> {
          g.writeNumberField("output_index", position);
          g.writeFieldName("item");
          ReplyBodies.outputItem(g, id(), position, reply.part(position), false);
        });
      }
      case ToolArgumentsDelta a -> {
        int position = reply.accept(a);
        if (position >= 0 && reply.part(position) instanceof Reply.ToolCall call) {
          event("response.function_call_arguments.delta", g -> {
            g.writeStringField("item_id", ReplyBodies.functionCallItemId(call.id()));
            g.writeNumberField("output_index", position);
            g.writeStringField("delta", a.json());
          });
        }
      }
      case End x -> {
        start();
        closeItem();
        Reply whole = reply.build().withId(id());
        boolean complete = whole.stop() != StopReason.MAX_TOKENS && whole.stop() != StopReason.REFUSAL;
        event(complete ? "response.completed" : "response.incomplete", g -> {
          g.writeFieldName("response");
          ReplyBodies.response(g, whole, model, created, true);
        });
        over = true;
      }
      case Failure f -> {
        sink.raw(Api.OPENAI_RESPONSES.streamError(f.message()));
        over = true;
      }
      default -> reply.accept(event);
    }
  }

  private String id() {
    if (id == null) {
      id = ReplyBodies.clientId(Dialect.RESPONSES, reply.id());
    }
    return id;
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    Reply empty = reply.build().withId(id());
    for (String type : new String[] {"response.created", "response.in_progress"}) {
      event(type, g -> {
        g.writeFieldName("response");
        ReplyBodies.response(g, empty, model, created, false);
      });
    }
  }

  private void text(TextDelta t) {
    start();
    if (open < 0 || !openIsText) {
      closeItem();
      int position = reply.size();
      open = position;
      openIsText = true;
      String itemId = ReplyBodies.messageItemId(id(), position);
      event("response.output_item.added", g -> {
        g.writeNumberField("output_index", position);
        g.writeFieldName("item");
        ReplyBodies.outputItem(g, id(), position, new Reply.Text(""), false);
      });
      event("response.content_part.added", g -> {
        g.writeStringField("item_id", itemId);
        g.writeNumberField("output_index", position);
        g.writeNumberField("content_index", 0);
        g.writeFieldName("part");
        ReplyBodies.outputText(g, "");
      });
    }
    int position = reply.accept(t);
    event("response.output_text.delta", g -> {
      g.writeStringField("item_id", ReplyBodies.messageItemId(id(), position));
      g.writeNumberField("output_index", position);
      g.writeNumberField("content_index", 0);
      g.writeStringField("delta", t.text());
      g.writeArrayFieldStart("logprobs");
      g.writeEndArray();
    });
  }

  private void closeItem() {
    if (open < 0) {
      return;
    }
    int position = open;
    open = -1;
    Reply.Part part = reply.part(position);
    switch (part) {
      case Reply.Text text -> {
        String itemId = ReplyBodies.messageItemId(id(), position);
        event("response.output_text.done", g -> {
          g.writeStringField("item_id", itemId);
          g.writeNumberField("output_index", position);
          g.writeNumberField("content_index", 0);
          g.writeStringField("text", text.text());
          g.writeArrayFieldStart("logprobs");
          g.writeEndArray();
        });
        event("response.content_part.done", g -> {
          g.writeStringField("item_id", itemId);
          g.writeNumberField("output_index", position);
          g.writeNumberField("content_index", 0);
          g.writeFieldName("part");
          ReplyBodies.outputText(g, text.text());
        });
      }
      case Reply.ToolCall call -> event("response.function_call_arguments.done", g -> {
        g.writeStringField("item_id", ReplyBodies.functionCallItemId(call.id()));
        g.writeNumberField("output_index", position);
        g.writeStringField("name", call.name());
        g.writeStringField("arguments", call.arguments());
      });
    }
    event("response.output_item.done", g -> {
      g.writeNumberField("output_index", position);
      g.writeFieldName("item");
      ReplyBodies.outputItem(g, id(), position, part, true);
    });
  }

  /** An event: its type, its sequence number, then the fields {@code fields} writes. */
  private void event(String type, SseSink.Json fields) {
    int number = sequence++;
    sink.event(type, g -> {
      g.writeStartObject();
      g.writeStringField("type", type);
      g.writeNumberField("sequence_number", number);
      fields.write(g);
      g.writeEndObject();
    });
  }

  @Override
  public byte[] drain() {
    return sink.drain();
  }
}
