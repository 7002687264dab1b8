package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.util.Iterator;
import java.util.UUID;

/**
 * The client-facing API dialects: their upstream paths, error shapes, and how the gateway answers
 * in them itself (chat commands).
 */
public enum Api {
  ANTHROPIC_MESSAGES("/v1/messages", true),
  ANTHROPIC_COUNT_TOKENS("/v1/messages/count_tokens", true),
  OPENAI_CHAT("/v1/chat/completions", false),
  OPENAI_RESPONSES("/v1/responses", false);

  private final String path;
  private final boolean anthropic;

  Api(String path, boolean anthropic) {
    this.path = path;
    this.anthropic = anthropic;
  }

  public String path() {
    return path;
  }

  public boolean anthropic() {
    return anthropic;
  }

  /** The endpoint that speaks {@code dialect}. */
  public static Api of(dev.clawauth.gateway.translate.Dialect dialect) {
    return switch (dialect) {
      case MESSAGES -> ANTHROPIC_MESSAGES;
      case CHAT_COMPLETIONS -> OPENAI_CHAT;
      case RESPONSES -> OPENAI_RESPONSES;
    };
  }

  public static Api forPath(String path) {
    for (Api a : values()) {
      if (a.path.equals(path)) {
        return a;
      }
    }
    return null;
  }

  /** The dialect used for errors on a path that is not (or not yet known to be) an API call. */
  public static Api errorDialect(String path, boolean anthropicHeaders) {
    return path.startsWith("/v1/messages") || anthropicHeaders ? ANTHROPIC_MESSAGES : OPENAI_CHAT;
  }

  /** An error body in this API's own shape. */
  public byte[] error(int status, String message) {
    ObjectNode root = Json.object();
    if (anthropic) {
      root.put("type", "error");
      ObjectNode e = root.putObject("error");
      e.put("type", anthropicErrorType(status));
      e.put("message", message);
    } else {
      ObjectNode e = root.putObject("error");
      e.put("message", message);
      e.put("type", openAiErrorType(status));
      e.putNull("param");
      e.put("code", openAiErrorCode(status));
    }
    return JsonBytes.write(root);
  }

  /** The SSE event that ends a stream when the upstream failed mid-way. */
  public byte[] streamError(String message) {
    ObjectNode root = Json.object();
    if (anthropic) {
      root.put("type", "error");
      ObjectNode e = root.putObject("error");
      e.put("type", "api_error");
      e.put("message", message);
      return ("event: error\ndata: " + JsonBytes.string(root) + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (this == OPENAI_RESPONSES) {
      root.put("type", "error");
      root.put("code", "server_error");
      root.put("message", message);
      root.putNull("param");
      return ("event: error\ndata: " + JsonBytes.string(root) + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", "server_error");
    return ("data: " + JsonBytes.string(root) + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String anthropicErrorType(int status) {
    return switch (status) {
      case 400, 408 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  static String openAiErrorType(int status) {
    return switch (status) {
      case 400, 404, 408, 413 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> "server_error";
    };
  }

  static String openAiErrorCode(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 404 -> "model_not_found";
      case 408 -> "request_timeout";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_exceeded";
      case 503 -> "no_usable_credential";
      default -> null;
    };
  }

  /** The text of the last user message of a request body, or null. */
  public String lastUserText(JsonNode body) {
    JsonNode items = this == OPENAI_RESPONSES ? body.path("input") : body.path("messages");
    if (items.isTextual()) {
      return items.asText();
    }
    if (!items.isArray() || items.isEmpty()) {
      return null;
    }
    JsonNode last = items.get(items.size() - 1);
    if (!"user".equals(last.path("role").asText(this == OPENAI_RESPONSES ? "user" : ""))) {
      return null;
    }
    JsonNode content = last.path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (Iterator<JsonNode> it = content.elements(); it.hasNext();) {
      JsonNode block = it.next();
      String type = block.path("type").asText("");
      if (type.equals("text") || type.equals("input_text")) {
        sb.append(block.path("text").asText(""));
      }
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  /** A complete assistant reply with {@code text}, as this API would return it. */
  public byte[] reply(String model, String text) {
    long now = System.currentTimeMillis() / 1000;
    String id = UUID.randomUUID().toString().replace("-", "");
    ObjectNode r = Json.object();
    switch (this) {
      case ANTHROPIC_MESSAGES, ANTHROPIC_COUNT_TOKENS -> {
        r.put("id", "msg_clawauth_" + id);
        r.put("type", "message");
        r.put("role", "assistant");
        r.put("model", model);
        ObjectNode block = r.putArray("content").addObject();
        block.put("type", "text");
        block.put("text", text);
        r.put("stop_reason", "end_turn");
        r.putNull("stop_sequence");
        ObjectNode u = r.putObject("usage");
        u.put("input_tokens", 0);
        u.put("output_tokens", 0);
      }
      case OPENAI_CHAT -> {
        r.put("id", "chatcmpl-clawauth-" + id);
        r.put("object", "chat.completion");
        r.put("created", now);
        r.put("model", model);
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        msg.put("content", text);
        msg.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode u = r.putObject("usage");
        u.put("prompt_tokens", 0);
        u.put("completion_tokens", 0);
        u.put("total_tokens", 0);
      }
      case OPENAI_RESPONSES -> responseObject(r, id, model, text, now);
    }
    return JsonBytes.write(r);
  }

  private static void responseObject(ObjectNode r, String id, String model, String text, long now) {
    r.put("id", "resp_clawauth_" + id);
    r.put("object", "response");
    r.put("created_at", now);
    r.put("status", "completed");
    r.putNull("error");
    r.putNull("incomplete_details");
    r.putNull("instructions");
    r.put("model", model);
    ArrayNode output = r.putArray("output");
    ObjectNode msg = output.addObject();
    msg.put("type", "message");
    msg.put("id", "msg_clawauth_" + id);
    msg.put("status", "completed");
    msg.put("role", "assistant");
    ObjectNode c = msg.putArray("content").addObject();
    c.put("type", "output_text");
    c.put("text", text);
    c.putArray("annotations");
    r.put("parallel_tool_calls", false);
    r.putNull("temperature");
    r.put("tool_choice", "auto");
    r.putArray("tools");
    r.putNull("top_p");
    ObjectNode u = r.putObject("usage");
    u.put("input_tokens", 0);
    u.putObject("input_tokens_details").put("cached_tokens", 0);
    u.put("output_tokens", 0);
    u.putObject("output_tokens_details").put("reasoning_tokens", 0);
    u.put("total_tokens", 0);
  }

  /** The same reply as a server-sent event stream. */
  public String streamedReply(String model, String text) {
    String id = UUID.randomUUID().toString().replace("-", "");
    long now = System.currentTimeMillis() / 1000;
    StringBuilder sb = new StringBuilder();
    switch (this) {
      case ANTHROPIC_MESSAGES, ANTHROPIC_COUNT_TOKENS -> {
        ObjectNode start = Json.object();
        start.put("type", "message_start");
        ObjectNode m = start.putObject("message");
        m.put("id", "msg_clawauth_" + id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        ObjectNode u = m.putObject("usage");
        u.put("input_tokens", 0);
        u.put("output_tokens", 0);
        event(sb, "message_start", start);
        ObjectNode cbs = Json.object();
        cbs.put("type", "content_block_start");
        cbs.put("index", 0);
        ObjectNode cb = cbs.putObject("content_block");
        cb.put("type", "text");
        cb.put("text", "");
        event(sb, "content_block_start", cbs);
        ObjectNode delta = Json.object();
        delta.put("type", "content_block_delta");
        delta.put("index", 0);
        ObjectNode d = delta.putObject("delta");
        d.put("type", "text_delta");
        d.put("text", text);
        event(sb, "content_block_delta", delta);
        ObjectNode stop = Json.object();
        stop.put("type", "content_block_stop");
        stop.put("index", 0);
        event(sb, "content_block_stop", stop);
        ObjectNode md = Json.object();
        md.put("type", "message_delta");
        md.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", 0);
        event(sb, "message_delta", md);
        ObjectNode ms = Json.object();
        ms.put("type", "message_stop");
        event(sb, "message_stop", ms);
      }
      case OPENAI_CHAT -> {
        for (int i = 0; i < 2; i++) {
          ObjectNode c = Json.object();
          c.put("id", "chatcmpl-clawauth-" + id);
          c.put("object", "chat.completion.chunk");
          c.put("created", now);
          c.put("model", model);
          ObjectNode choice = c.putArray("choices").addObject();
          choice.put("index", 0);
          ObjectNode d = choice.putObject("delta");
          if (i == 0) {
            d.put("role", "assistant");
            d.put("content", text);
            choice.putNull("finish_reason");
          } else {
            choice.put("finish_reason", "stop");
          }
          sb.append("data: ").append(JsonBytes.string(c)).append("\n\n");
        }
        sb.append("data: [DONE]\n\n");
      }
      case OPENAI_RESPONSES -> {
        ObjectNode resp = Json.object();
        responseObject(resp, id, model, text, now);
        ObjectNode created = Json.object();
        created.put("type", "response.created");
        created.put("sequence_number", 0);
        ObjectNode inProgress = resp.deepCopy();
        inProgress.put("status", "in_progress");
        inProgress.putArray("output");
        created.set("response", inProgress);
        event(sb, "response.created", created);
        ObjectNode delta = Json.object();
        delta.put("type", "response.output_text.delta");
        delta.put("sequence_number", 1);
        delta.put("item_id", "msg_clawauth_" + id);
        delta.put("output_index", 0);
        delta.put("content_index", 0);
        delta.put("delta", text);
        delta.putArray("logprobs");
        event(sb, "response.output_text.delta", delta);
        ObjectNode done = Json.object();
        done.put("type", "response.completed");
        done.put("sequence_number", 2);
        done.set("response", resp);
        event(sb, "response.completed", done);
      }
    }
    return sb.toString();
  }

  private static void event(StringBuilder sb, String name, JsonNode data) {
    sb.append("event: ").append(name).append("\ndata: ").append(JsonBytes.string(data)).append("\n\n");
  }
}
