package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Whole (non-streamed) answers, from the upstream's dialect to the client's. */
public final class Replies {
  private Replies() {}

  private static final ObjectMapper MAPPER = Json.strict();

  /**
   * The client's answer for an upstream's successful answer {@code body}; the client sees its own
   * model name.
   *
   * @throws IOException when the upstream's body is not an answer in its dialect
   */
  public static byte[] translate(Dialect upstream, Dialect client, byte[] body, String clientModel) throws IOException {
    return write(read(upstream, body), client, clientModel);
  }

  /**
   * An upstream's successful answer in the pivot shape.
   *
   * @throws IOException when {@code body} is not an answer in the upstream's dialect
   */
  static Reply read(Dialect upstream, byte[] body) throws IOException {
    JsonNode n = MAPPER.readTree(body);
    if (n == null || !n.isObject()) {
      throw new IOException("the upstream's answer is not a JSON object");
    }
    return switch (upstream) {
      case MESSAGES -> fromMessages(n);
      case CHAT_COMPLETIONS -> fromChat(n);
      case RESPONSES -> fromResponses(n);
    };
  }

  /** The client's answer, naming the model the client asked for. */
  static byte[] write(Reply r, Dialect client, String clientModel) throws IOException {
    ObjectNode out = switch (client) {
      case MESSAGES -> toMessages(r, clientModel);
      case CHAT_COMPLETIONS -> toChat(r, clientModel);
      case RESPONSES -> toResponses(r, clientModel);
    };
    return MAPPER.writeValueAsBytes(out);
  }

  static Reply fromMessages(JsonNode n) throws IOException {
    List<Block> content = new ArrayList<>();
    for (JsonNode b : n.path("content")) {
      switch (b.path("type").asText()) {
        case "text" -> content.add(new Block.Text(b.path("text").asText(), null));
        case "tool_use" -> content.add(new Block.ToolUse(b.path("id").asText(), b.path("name").asText(),
            b.path("input").isObject() ? b.get("input") : Json.object(), null));
        // Thinking has no place in an OpenAI answer; the final text carries the answer.
        default -> { }
      }
    }
    Reply.Stop stop = switch (n.path("stop_reason").asText("end_turn")) {
      case "max_tokens", "model_context_window_exceeded" -> Reply.Stop.MAX_TOKENS;
      case "tool_use" -> Reply.Stop.TOOL_USE;
      case "stop_sequence" -> Reply.Stop.STOP_SEQUENCE;
      case "refusal" -> Reply.Stop.REFUSAL;
      default -> Reply.Stop.END_TURN;
    };
    JsonNode u = n.path("usage");
    return new Reply(n.path("id").asText(""), content, stop, n.path("stop_sequence").textValue(),
        new Reply.Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
            u.path("cache_read_input_tokens").asLong(), u.path("cache_creation_input_tokens").asLong()));
  }

  static Reply fromChat(JsonNode n) throws IOException {
    JsonNode choice = n.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw new IOException("the upstream's chat completion has no choices");
    }
    JsonNode msg = choice.path("message");
    List<Block> content = new ArrayList<>();
    String text = msg.path("content").isTextual() ? msg.path("content").asText()
        : msg.path("refusal").isTextual() ? msg.path("refusal").asText() : "";
    if (!text.isEmpty()) {
      content.add(new Block.Text(text, null));
    }
    for (JsonNode call : msg.path("tool_calls")) {
      content.add(new Block.ToolUse(call.path("id").asText(), call.path("function").path("name").asText(),
          arguments(call.path("function").path("arguments").asText("")), null));
    }
    Reply.Stop stop = switch (choice.path("finish_reason").asText("stop")) {
      case "length" -> Reply.Stop.MAX_TOKENS;
      case "tool_calls", "function_call" -> Reply.Stop.TOOL_USE;
      case "content_filter" -> Reply.Stop.REFUSAL;
      default -> Reply.Stop.END_TURN;
    };
    JsonNode u = n.path("usage");
    long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong();
    return new Reply(n.path("id").asText(""), content, stop, null,
        new Reply.Usage(Math.max(0, u.path("prompt_tokens").asLong() - cached), u.path("completion_tokens").asLong(),
            cached, 0));
  }

  static Reply fromResponses(JsonNode n) {
    List<Block> content = new ArrayList<>();
    boolean calls = false;
    for (JsonNode item : n.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            String type = part.path("type").asText();
            String text = type.equals("output_text") ? part.path("text").asText("")
                : type.equals("refusal") ? part.path("refusal").asText("") : "";
            if (!text.isEmpty()) {
              content.add(new Block.Text(text, null));
            }
          }
        }
        case "function_call" -> {
          calls = true;
          content.add(new Block.ToolUse(item.path("call_id").asText(), item.path("name").asText(),
              arguments(item.path("arguments").asText("")), null));
        }
        default -> { }
      }
    }
    String reason = n.path("incomplete_details").path("reason").asText("");
    Reply.Stop stop = n.path("status").asText().equals("incomplete")
        ? reason.equals("content_filter") ? Reply.Stop.REFUSAL : Reply.Stop.MAX_TOKENS
        : calls ? Reply.Stop.TOOL_USE : Reply.Stop.END_TURN;
    JsonNode u = n.path("usage");
    long cached = u.path("input_tokens_details").path("cached_tokens").asLong();
    return new Reply(n.path("id").asText(""), content, stop, null,
        new Reply.Usage(Math.max(0, u.path("input_tokens").asLong() - cached), u.path("output_tokens").asLong(),
            cached, 0));
  }

  private static JsonNode arguments(String s) {
    try {
      JsonNode n = s.isBlank() ? null : MAPPER.readTree(s);
      return n != null && n.isObject() ? n : Json.object();
    } catch (IOException notJson) {
      // A model's broken JSON is kept where a client can see it, rather than lost.
      return Json.object().put("_raw", s);
    }
  }

  static ObjectNode toMessages(Reply r, String model) {
    ObjectNode o = Json.object();
    o.put("id", r.id().startsWith("msg_") ? r.id() : "msg_" + r.id());
    o.put("type", "message");
    o.put("role", "assistant");
    o.put("model", model);
    ArrayNode content = o.putArray("content");
    r.content().forEach(b -> content.add(MessagesRequests.block(b)));
    o.put("stop_reason", switch (r.stop()) {
      case END_TURN -> "end_turn";
      case MAX_TOKENS -> "max_tokens";
      case TOOL_USE -> "tool_use";
      case STOP_SEQUENCE -> "stop_sequence";
      case REFUSAL -> "refusal";
    });
    Fields.putIfSet(o, "stop_sequence", r.stopSequence());
    if (r.stopSequence() == null) {
      o.putNull("stop_sequence");
    }
    ObjectNode u = o.putObject("usage");
    u.put("input_tokens", r.usage().input());
    u.put("output_tokens", r.usage().output());
    u.put("cache_creation_input_tokens", r.usage().cacheWrite());
    u.put("cache_read_input_tokens", r.usage().cacheRead());
    return o;
  }

  static ObjectNode toChat(Reply r, String model) {
    ObjectNode o = Json.object();
    o.put("id", r.id().startsWith("chatcmpl-") ? r.id() : "chatcmpl-" + r.id());
    o.put("object", "chat.completion");
    o.put("created", System.currentTimeMillis() / 1000);
    o.put("model", model);
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.NODES.arrayNode();
    for (Block b : r.content()) {
      if (b instanceof Block.Text t) {
        text.append(t.text());
      } else if (b instanceof Block.ToolUse u) {
        ObjectNode call = calls.addObject().put("id", u.id()).put("type", "function");
        call.putObject("function").put("name", u.name()).put("arguments", Fields.json(u.input()));
      }
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      msg.putNull("content");
    } else {
      msg.put("content", text.toString());
    }
    msg.putNull("refusal");
    if (!calls.isEmpty()) {
      msg.set("tool_calls", calls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", switch (r.stop()) {
      case END_TURN, STOP_SEQUENCE -> "stop";
      case MAX_TOKENS -> "length";
      case TOOL_USE -> "tool_calls";
      case REFUSAL -> "content_filter";
    });
    ObjectNode u = o.putObject("usage");
    u.put("prompt_tokens", r.usage().promptTokens());
    u.put("completion_tokens", r.usage().output());
    u.put("total_tokens", r.usage().promptTokens() + r.usage().output());
    u.putObject("prompt_tokens_details").put("cached_tokens", r.usage().cacheRead());
    return o;
  }

  static ObjectNode toResponses(Reply r, String model) {
    ObjectNode o = Json.object();
    o.put("id", r.id().startsWith("resp_") ? r.id() : "resp_" + r.id());
    o.put("object", "response");
    o.put("created_at", System.currentTimeMillis() / 1000);
    boolean incomplete = r.stop() == Reply.Stop.MAX_TOKENS || r.stop() == Reply.Stop.REFUSAL;
    o.put("status", incomplete ? "incomplete" : "completed");
    o.putNull("error");
    if (incomplete) {
      o.putObject("incomplete_details").put("reason", r.stop() == Reply.Stop.MAX_TOKENS ? "max_output_tokens"
          : "content_filter");
    } else {
      o.putNull("incomplete_details");
    }
    o.putNull("instructions");
    o.put("model", model);
    ArrayNode output = o.putArray("output");
    ArrayNode parts = null;
    int n = 0;
    for (Block b : r.content()) {
      if (b instanceof Block.Text t) {
        if (parts == null) {
          ObjectNode msg = output.addObject().put("type", "message").put("id", "msg_" + r.id() + "_" + n++)
              .put("status", "completed").put("role", "assistant");
          parts = msg.putArray("content");
        }
        parts.addObject().put("type", "output_text").put("text", t.text()).putArray("annotations");
      } else if (b instanceof Block.ToolUse u) {
        parts = null;
        output.addObject().put("type", "function_call").put("id", "fc_" + u.id()).put("call_id", u.id())
            .put("name", u.name()).put("arguments", Fields.json(u.input())).put("status", "completed");
      }
    }
    o.put("parallel_tool_calls", true);
    o.putNull("temperature");
    o.put("tool_choice", "auto");
    o.putArray("tools");
    o.putNull("top_p");
    ObjectNode u = o.putObject("usage");
    u.put("input_tokens", r.usage().promptTokens());
    u.putObject("input_tokens_details").put("cached_tokens", r.usage().cacheRead());
    u.put("output_tokens", r.usage().output());
    u.putObject("output_tokens_details").put("reasoning_tokens", 0);
    u.put("total_tokens", r.usage().promptTokens() + r.usage().output());
    return o;
  }
}
