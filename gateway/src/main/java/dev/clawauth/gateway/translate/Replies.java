package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
   * An upstream's successful whole answer.
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

  /** The client's whole answer, naming the model the client asked for, with an id of its dialect's form. */
  static byte[] write(Reply r, Dialect client, String clientModel) {
    return ReplyBodies.body(client, r, clientModel, System.currentTimeMillis() / 1000);
  }

  static Reply fromMessages(JsonNode n) {
    List<Reply.Part> parts = new ArrayList<>();
    for (JsonNode b : n.path("content")) {
      switch (b.path("type").asText()) {
        case "text" -> parts.add(new Reply.Text(b.path("text").asText()));
        case "tool_use" -> parts.add(new Reply.ToolCall(b.path("id").asText(), b.path("name").asText(),
            Fields.json(b.path("input").isObject() ? b.get("input") : Json.object())));
        // Thinking has no place in an OpenAI answer; the final text carries the answer.
        default -> { }
      }
    }
    JsonNode u = n.path("usage");
    return new Reply(n.path("id").asText(""), parts, StopReason.fromMessages(n.path("stop_reason").asText("end_turn")),
        new TokenUsage(u.path("input_tokens").asLong() + u.path("cache_read_input_tokens").asLong()
            + u.path("cache_creation_input_tokens").asLong(), u.path("output_tokens").asLong()));
  }

  static Reply fromChat(JsonNode n) throws IOException {
    JsonNode choice = n.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw new IOException("the upstream's chat completion has no choices");
    }
    JsonNode msg = choice.path("message");
    List<Reply.Part> parts = new ArrayList<>();
    String text = msg.path("content").isTextual() ? msg.path("content").asText()
        : msg.path("refusal").isTextual() ? msg.path("refusal").asText() : "";
    if (!text.isEmpty()) {
      parts.add(new Reply.Text(text));
    }
    for (JsonNode call : msg.path("tool_calls")) {
      parts.add(new Reply.ToolCall(call.path("id").asText(), call.path("function").path("name").asText(),
          call.path("function").path("arguments").asText("")));
    }
    JsonNode u = n.path("usage");
    StopReason stop = StopReason.fromChat(choice.path("finish_reason").asText("stop"));
    // Some OpenAI-compatible servers say "stop" after tool calls; the client must still run them.
    if (stop == StopReason.END_TURN && !msg.path("tool_calls").isEmpty()) {
      stop = StopReason.TOOL_USE;
    }
    return new Reply(n.path("id").asText(""), parts, stop,
        new TokenUsage(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong()));
  }

  static Reply fromResponses(JsonNode n) {
    List<Reply.Part> parts = new ArrayList<>();
    boolean calls = false;
    for (JsonNode item : n.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            String type = part.path("type").asText();
            String text = type.equals("output_text") ? part.path("text").asText("")
                : type.equals("refusal") ? part.path("refusal").asText("") : "";
            if (!text.isEmpty()) {
              parts.add(new Reply.Text(text));
            }
          }
        }
        case "function_call" -> {
          calls = true;
          parts.add(new Reply.ToolCall(item.path("call_id").asText(), item.path("name").asText(),
              item.path("arguments").asText("")));
        }
        // Reasoning items are the OpenAI model's own state, opaque to the client's dialect.
        default -> { }
      }
    }
    String reason = n.path("incomplete_details").path("reason").asText("");
    StopReason stop = n.path("status").asText().equals("incomplete")
        ? reason.equals("content_filter") ? StopReason.REFUSAL : StopReason.MAX_TOKENS
        : calls ? StopReason.TOOL_USE : StopReason.END_TURN;
    JsonNode u = n.path("usage");
    return new Reply(n.path("id").asText(""), parts, stop,
        new TokenUsage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong()));
  }
}
