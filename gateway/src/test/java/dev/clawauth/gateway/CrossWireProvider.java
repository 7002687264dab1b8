package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The fake provider's answers for a weather-tool round trip, each in its own wire: it first calls
 * the tool, then, given the tool's result, answers in text. It checks the translated request's
 * shape first and answers a 400 in its own error shape naming what is wrong, so a wrong translation
 * fails the client's call.
 */
final class CrossWireProvider {
  private CrossWireProvider() {}

  private static final ObjectMapper M = new ObjectMapper();
  static final String FINAL = "It is 18C in Paris.";

  /** Routes by path: Anthropic Messages and OpenAI Chat Completions. */
  static FakeProvider.Script answer(FakeProvider.Seen s) {
    return s.path().endsWith("/v1/messages") ? anthropic() : s.path().endsWith("/chat/completions") ? chat()
        : FakeProvider.ok();
  }

  static FakeProvider.Script anthropic() {
    return (ex, s) -> {
      JsonNode b = M.readTree(s.body());
      String wrong = anthropicShape(b);
      if (wrong != null) {
        FakeProvider.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"fake "
            + "provider: " + wrong + "\"}}").answer(ex, s);
        return;
      }
      boolean result = b.path("messages").get(b.path("messages").size() - 1).path("content").path(0).path("type")
          .asText().equals("tool_result");
      if (!b.path("stream").asBoolean(false)) {
        FakeProvider.json(200, result ? FakeProvider.anthropicMessage(FINAL).replace("\"claude-opus-4-5\"",
            "\"claude-sonnet-4-5\"") : """
            {"id":"msg_up1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[
              {"type":"text","text":"Checking."},
              {"type":"tool_use","id":"toolu_01","name":"weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":9}}""")
            .answer(ex, s);
      } else if (result) {
        FakeProvider.anthropicStream(FINAL, 0, -1).answer(ex, s);
      } else {
        FakeProvider.sseRaw(List.of(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_up1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather\",\"input\":{}}}",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}"), 0, -1, null).answer(ex, s);
      }
    };
  }

  /** What is wrong with a Messages request that came from another dialect, or null. */
  private static String anthropicShape(JsonNode b) {
    if (!b.path("system").path(0).path("text").asText().equals("Be brief.")) {
      return "the system prompt is not in the top-level system";
    }
    if (!b.path("tools").path(0).path("input_schema").path("properties").has("city")) {
      return "the tool schema is not in tools[0].input_schema";
    }
    if (!b.path("max_tokens").isIntegralNumber()) {
      return "max_tokens is missing";
    }
    JsonNode msgs = b.path("messages");
    JsonNode last = msgs.path(msgs.size() - 1);
    if (!last.path("role").asText().equals("user")) {
      return "the last message is not the user's";
    }
    if (msgs.size() > 1) {
      JsonNode result = last.path("content").path(0);
      JsonNode use = msgs.path(msgs.size() - 2).path("content");
      boolean called = false;
      for (JsonNode block : use) {
        called |= block.path("type").asText().equals("tool_use") && block.path("id").asText().equals("toolu_01")
            && block.path("input").path("city").asText().equals("Paris");
      }
      if (!called) {
        return "the assistant turn before the result does not hold the tool_use toolu_01";
      }
      if (!result.path("type").asText().equals("tool_result") || !result.path("tool_use_id").asText().equals("toolu_01")
          || !result.path("content").toString().contains("18C")) {
        return "the tool_result is not the first block of the user turn after the call";
      }
    }
    return null;
  }

  static FakeProvider.Script chat() {
    return (ex, s) -> {
      JsonNode b = M.readTree(s.body());
      String wrong = chatShape(b);
      if (wrong != null) {
        FakeProvider.json(400, "{\"error\":{\"message\":\"fake provider: " + wrong + "\",\"type\":"
            + "\"invalid_request_error\",\"param\":null,\"code\":null}}").answer(ex, s);
        return;
      }
      JsonNode msgs = b.path("messages");
      boolean result = msgs.get(msgs.size() - 1).path("role").asText().equals("tool");
      String usage = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}";
      if (!b.path("stream").asBoolean(false)) {
        FakeProvider.json(200, result ? FakeProvider.chatCompletion(FINAL) : """
            {"id":"chatcmpl-up","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
              "message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"id":"call_01","type":"function",
              "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},"logprobs":null,
              "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}""")
            .answer(ex, s);
      } else if (result) {
        FakeProvider.sse(List.of(FakeProvider.chatChunk("It is 18C", null), FakeProvider.chatChunk(" in Paris.", "stop"),
            usage, "[DONE]"), 0, -1, null).answer(ex, s);
      } else {
        String head = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"delta\":";
        FakeProvider.sse(List.of(
            head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_01\","
                + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
            head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}",
            head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
            head + "{},\"finish_reason\":\"tool_calls\"}]}",
            usage, "[DONE]"), 0, -1, null).answer(ex, s);
      }
    };
  }

  /** What is wrong with a Chat Completions request that came from another dialect, or null. */
  private static String chatShape(JsonNode b) {
    JsonNode msgs = b.path("messages");
    if (!msgs.path(0).path("role").asText().equals("system") || !msgs.path(0).path("content").asText().equals("Be brief.")) {
      return "the system prompt is not the first, system message";
    }
    JsonNode fn = b.path("tools").path(0);
    if (!fn.path("type").asText().equals("function") || !fn.path("function").path("parameters").path("properties").has("city")) {
      return "the tool is not a function with its parameters";
    }
    if (!b.path("max_completion_tokens").isIntegralNumber()) {
      return "max_completion_tokens is missing";
    }
    if (b.path("stream").asBoolean(false) && !b.path("stream_options").path("include_usage").asBoolean(false)) {
      return "a stream without stream_options.include_usage";
    }
    JsonNode last = msgs.path(msgs.size() - 1);
    if (last.path("role").asText().equals("tool")) {
      JsonNode call = msgs.path(msgs.size() - 2).path("tool_calls").path(0);
      try {
        if (!call.path("id").asText().equals("call_01")
            || !M.readTree(call.path("function").path("arguments").asText()).path("city").asText().equals("Paris")) {
          return "the assistant message before the result does not hold the tool call call_01";
        }
      } catch (IOException notJson) {
        return "the tool call's arguments are not JSON text";
      }
      if (!last.path("tool_call_id").asText().equals("call_01") || !last.path("content").asText().contains("18C")) {
        return "the tool message does not answer call_01";
      }
    }
    return null;
  }

  /** ChatGPT's Codex backend: a Responses event stream whatever was asked, as the backend only streams. */
  static FakeProvider.Script codexText(String text) {
    String item = "{\"id\":\"msg_c1\",\"type\":\"message\",\"status\":\"%s\",\"role\":\"assistant\",\"content\":%s}";
    String done = item.formatted("completed", "[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"" + text + "\"}]");
    String response = "{\"id\":\"resp_c1\",\"object\":\"response\",\"created_at\":1,\"status\":\"%s\",\"model\":\"gpt-5.2\","
        + "\"output\":%s,\"usage\":%s}";
    return FakeProvider.sseRaw(List.of(
        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
            + response.formatted("in_progress", "[]", "null") + "}",
        "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":1,"
            + "\"output_index\":0,\"item\":" + item.formatted("in_progress", "[]") + "}",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
            + "\"item_id\":\"msg_c1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + text + "\"}",
        "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"sequence_number\":3,"
            + "\"output_index\":0,\"item\":" + done + "}",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":4,\"response\":"
            + response.formatted("completed", "[" + done + "]", "{\"input_tokens\":5,\"output_tokens\":3,"
                + "\"total_tokens\":8}") + "}"), 0, -1, null);
  }
}
