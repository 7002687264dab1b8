package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.UUID;

/** Writes a {@link Reply} as each dialect's complete response body, and the pieces streams share with it. */
final class ReplyBodies {
  private ReplyBodies() {}

  private static final JsonFactory CHECK = new JsonFactory();

  /** The client's whole answer, naming the model the client asked for, with an id of its dialect's form. */
  static byte[] body(Dialect client, Reply reply, String model, long created) {
    Reply r = reply.withId(clientId(client, reply.id()));
    return SseSink.json(g -> {
      switch (client) {
        case MESSAGES -> message(g, r, model);
        case CHAT_COMPLETIONS -> chatCompletion(g, r, model, created);
        case RESPONSES -> response(g, r, model, created, true);
      }
    });
  }

  /** The upstream's answer id in the client dialect's form ({@code msg_…}, {@code chatcmpl-…}, {@code resp_…}). */
  static String clientId(Dialect client, String upstreamId) {
    String prefix = switch (client) {
      case MESSAGES -> "msg_";
      case CHAT_COMPLETIONS -> "chatcmpl-";
      case RESPONSES -> "resp_";
    };
    if (upstreamId == null || upstreamId.isEmpty()) {
      return prefix + UUID.randomUUID().toString().replace("-", "");
    }
    return upstreamId.startsWith(prefix) ? upstreamId : prefix + upstreamId.replaceFirst("^(msg_|chatcmpl-|resp_)", "");
  }

  private static void message(JsonGenerator g, Reply reply, String model) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", reply.id());
    g.writeStringField("type", "message");
    g.writeStringField("role", "assistant");
    g.writeStringField("model", model);
    g.writeArrayFieldStart("content");
    for (Reply.Part p : reply.parts()) {
      g.writeStartObject();
      switch (p) {
        case Reply.Text t -> {
          g.writeStringField("type", "text");
          g.writeStringField("text", t.text());
        }
        case Reply.ToolCall c -> {
          g.writeStringField("type", "tool_use");
          g.writeStringField("id", c.id());
          g.writeStringField("name", c.name());
          g.writeFieldName("input");
          argumentsObject(g, c.arguments());
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("stop_reason", reply.stop().messages());
    g.writeNullField("stop_sequence");
    g.writeFieldName("usage");
    messagesUsage(g, reply.usage());
    g.writeEndObject();
  }

  /** Anthropic's usage object, cache counts included as zero because the input count already holds them. */
  static void messagesUsage(JsonGenerator g, TokenUsage usage) throws IOException {
    g.writeStartObject();
    g.writeNumberField("input_tokens", usage.input());
    g.writeNumberField("cache_creation_input_tokens", 0);
    g.writeNumberField("cache_read_input_tokens", 0);
    g.writeNumberField("output_tokens", usage.output());
    g.writeEndObject();
  }

  /**
   * Tool arguments as Anthropic's {@code input} object. Arguments that are not one JSON object (a
   * model that broke off mid-call) become an empty object: a body with invalid JSON would fail the
   * client's whole answer, where the tool call itself will be refused by the tool's own validation.
   */
  private static void argumentsObject(JsonGenerator g, String arguments) throws IOException {
    if (isObject(arguments)) {
      g.writeRawValue(arguments);
    } else {
      g.writeStartObject();
      g.writeEndObject();
    }
  }

  private static boolean isObject(String json) {
    try (JsonParser p = CHECK.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void chatCompletion(JsonGenerator g, Reply reply, String model, long created) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", reply.id());
    g.writeStringField("object", "chat.completion");
    g.writeNumberField("created", created);
    g.writeStringField("model", model);
    g.writeArrayFieldStart("choices");
    g.writeStartObject();
    g.writeNumberField("index", 0);
    g.writeObjectFieldStart("message");
    g.writeStringField("role", "assistant");
    g.writeStringField("content", reply.text());
    g.writeNullField("refusal");
    if (reply.hasToolCalls()) {
      g.writeArrayFieldStart("tool_calls");
      for (Reply.Part p : reply.parts()) {
        if (p instanceof Reply.ToolCall c) {
          g.writeStartObject();
          g.writeStringField("id", c.id());
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", c.name());
          g.writeStringField("arguments", c.arguments());
          g.writeEndObject();
          g.writeEndObject();
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeNullField("logprobs");
    g.writeStringField("finish_reason", reply.stop().chat());
    g.writeEndObject();
    g.writeEndArray();
    g.writeFieldName("usage");
    chatUsage(g, reply.usage());
    g.writeEndObject();
  }

  static void chatUsage(JsonGenerator g, TokenUsage usage) throws IOException {
    g.writeStartObject();
    g.writeNumberField("prompt_tokens", usage.input());
    g.writeNumberField("completion_tokens", usage.output());
    g.writeNumberField("total_tokens", usage.input() + usage.output());
    g.writeEndObject();
  }

  /** The id of the Responses message item at output position {@code position}. */
  static String messageItemId(String responseId, int position) {
    return "msg_" + (responseId.startsWith("resp_") ? responseId.substring(5) : responseId) + "_" + position;
  }

  /** The id of the Responses function-call item of tool call {@code callId}. */
  static String functionCallItemId(String callId) {
    return "fc_" + callId;
  }

  /**
   * A Responses {@code response} object. When {@code done} is false it is the one of
   * {@code response.created}: in progress, with no output or usage yet.
   */
  static void response(JsonGenerator g, Reply reply, String model, long created, boolean done) throws IOException {
    String incomplete = switch (reply.stop()) {
      case MAX_TOKENS -> "max_output_tokens";
      case REFUSAL -> "content_filter";
      default -> null;
    };
    g.writeStartObject();
    g.writeStringField("id", reply.id());
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", created);
    g.writeStringField("status", !done ? "in_progress" : incomplete == null ? "completed" : "incomplete");
    g.writeNullField("error");
    if (done && incomplete != null) {
      g.writeObjectFieldStart("incomplete_details");
      g.writeStringField("reason", incomplete);
      g.writeEndObject();
    } else {
      g.writeNullField("incomplete_details");
    }
    g.writeNullField("instructions");
    g.writeObjectFieldStart("metadata");
    g.writeEndObject();
    g.writeStringField("model", model);
    g.writeArrayFieldStart("output");
    if (done) {
      for (int i = 0; i < reply.parts().size(); i++) {
        outputItem(g, reply.id(), i, reply.parts().get(i), true);
      }
    }
    g.writeEndArray();
    g.writeBooleanField("parallel_tool_calls", true);
    g.writeNullField("temperature");
    g.writeStringField("tool_choice", "auto");
    g.writeArrayFieldStart("tools");
    g.writeEndArray();
    g.writeNullField("top_p");
    if (done) {
      TokenUsage u = reply.usage();
      g.writeObjectFieldStart("usage");
      g.writeNumberField("input_tokens", u.input());
      g.writeObjectFieldStart("input_tokens_details");
      g.writeNumberField("cached_tokens", 0);
      g.writeEndObject();
      g.writeNumberField("output_tokens", u.output());
      g.writeObjectFieldStart("output_tokens_details");
      g.writeNumberField("reasoning_tokens", 0);
      g.writeEndObject();
      g.writeNumberField("total_tokens", u.input() + u.output());
      g.writeEndObject();
    } else {
      g.writeNullField("usage");
    }
    g.writeEndObject();
  }

  /** One Responses output item; an item still in progress has no content or arguments yet. */
  static void outputItem(JsonGenerator g, String responseId, int position, Reply.Part part, boolean done)
      throws IOException {
    g.writeStartObject();
    switch (part) {
      case Reply.Text t -> {
        g.writeStringField("id", messageItemId(responseId, position));
        g.writeStringField("type", "message");
        g.writeStringField("status", done ? "completed" : "in_progress");
        g.writeStringField("role", "assistant");
        g.writeArrayFieldStart("content");
        if (done) {
          outputText(g, t.text());
        }
        g.writeEndArray();
      }
      case Reply.ToolCall c -> {
        g.writeStringField("id", functionCallItemId(c.id()));
        g.writeStringField("type", "function_call");
        g.writeStringField("status", done ? "completed" : "in_progress");
        g.writeStringField("arguments", done ? c.arguments() : "");
        g.writeStringField("call_id", c.id());
        g.writeStringField("name", c.name());
      }
    }
    g.writeEndObject();
  }

  /** An {@code output_text} content part. */
  static void outputText(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "output_text");
    g.writeStringField("text", text);
    g.writeArrayFieldStart("annotations");
    g.writeEndArray();
    g.writeArrayFieldStart("logprobs");
    g.writeEndArray();
    g.writeEndObject();
  }
}
