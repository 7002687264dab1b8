package dev.clawauth.gateway.translate;

import static dev.clawauth.gateway.translate.Fields.array;
import static dev.clawauth.gateway.translate.Fields.object;
import static dev.clawauth.gateway.translate.Fields.optText;
import static dev.clawauth.gateway.translate.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** OpenAI Chat Completions requests to and from the pivot. */
final class ChatRequests {
  private ChatRequests() {}

  /**
   * Besides the mapped fields: hints with no effect on the answer's meaning ({@code store},
   * {@code service_tier}, {@code prompt_cache_key}, {@code safety_identifier}, {@code seed},
   * {@code stream_options}, {@code metadata}); {@code n}, {@code logprobs} and the penalties pass
   * only with their neutral values.
   */
  private static final Set<String> TOP = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
      "temperature", "top_p", "stop", "stream", "stream_options", "user", "metadata", "tools", "tool_choice",
      "parallel_tool_calls", "response_format", "reasoning_effort", "n", "logprobs", "store", "service_tier",
      "prompt_cache_key", "safety_identifier", "seed", "frequency_penalty", "presence_penalty");

  static Conversation read(ObjectNode b, Target t) throws Unsupported {
    Fields.only(b, "", TOP, t);
    Long n = Fields.optLong(b.get("n"), "n");
    if (n != null && n != 1) {
      throw new Unsupported("n", "only 1 is supported when " + t.clientModel() + " is served over " + t.apiName());
    }
    if (Boolean.TRUE.equals(Fields.optBool(b.get("logprobs"), "logprobs"))) {
      throw Fields.noCounterpart("logprobs", t);
    }
    for (String penalty : List.of("frequency_penalty", "presence_penalty")) {
      Double v = Fields.optDouble(b.get(penalty), penalty);
      if (v != null && v != 0 && t.dialect() != Dialect.CHAT_COMPLETIONS) {
        throw Fields.noCounterpart(penalty, t);
      }
    }
    List<Block.Text> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    int i = 0;
    for (JsonNode m : array(b.get("messages"), "messages")) {
      String p = "messages[" + i++ + "]";
      object(m, p);
      String role = text(m.get("role"), p + ".role");
      switch (role) {
        case "system", "developer" -> {
          Fields.only(m, p + ".", Set.of("role", "content", "name"), t);
          for (Block x : parts(m.get("content"), p + ".content", t)) {
            if (!(x instanceof Block.Text text)) {
              throw new Unsupported(p + ".content", "a " + role + " message holds text only");
            }
            system.add(text);
          }
        }
        case "user" -> {
          Fields.only(m, p + ".", Set.of("role", "content", "name"), t);
          turns.add(new Turn(Turn.Role.USER, parts(m.get("content"), p + ".content", t)));
        }
        case "assistant" -> {
          Fields.only(m, p + ".", Set.of("role", "content", "name", "tool_calls", "refusal"), t);
          List<Block> content = new ArrayList<>();
          JsonNode c = m.get("content");
          if (c != null && !c.isNull()) {
            content.addAll(parts(c, p + ".content", t));
          }
          String refusal = optText(m.get("refusal"), p + ".refusal");
          if (refusal != null && content.isEmpty()) {
            content.add(new Block.Text(refusal, null));
          }
          int j = 0;
          for (JsonNode call : array(m.get("tool_calls"), p + ".tool_calls")) {
            String cp = p + ".tool_calls[" + j++ + "]";
            object(call, cp);
            String type = call.path("type").asText("function");
            if (!type.equals("function")) {
              throw Fields.noCounterpart(cp + ".type", "tool call type " + type, t);
            }
            JsonNode fn = object(call.get("function"), cp + ".function");
            content.add(new Block.ToolUse(text(call.get("id"), cp + ".id"), text(fn.get("name"), cp + ".function.name"),
                Fields.arguments(fn.get("arguments"), cp + ".function.arguments"), null));
          }
          turns.add(new Turn(Turn.Role.ASSISTANT, content));
        }
        case "tool" -> {
          Fields.only(m, p + ".", Set.of("role", "content", "tool_call_id", "name"), t);
          turns.add(new Turn(Turn.Role.USER, List.of(new Block.ToolResult(text(m.get("tool_call_id"), p + ".tool_call_id"),
              parts(m.get("content"), p + ".content", t), false, null))));
        }
        default -> throw Fields.noCounterpart(p + ".role", "role " + role, t);
      }
    }
    List<ToolDef> tools = new ArrayList<>();
    i = 0;
    for (JsonNode tool : array(b.get("tools"), "tools")) {
      String p = "tools[" + i++ + "]";
      object(tool, p);
      String type = text(tool.get("type"), p + ".type");
      if (!type.equals("function")) {
        throw Fields.noCounterpart(p + ".type", "tool type " + type, t);
      }
      JsonNode fn = object(tool.get("function"), p + ".function");
      Fields.only(fn, p + ".function.", Set.of("name", "description", "parameters", "strict"), t);
      tools.add(new ToolDef(text(fn.get("name"), p + ".function.name"), optText(fn.get("description"),
          p + ".function.description"), fn.get("parameters"), Fields.optBool(fn.get("strict"), p + ".function.strict"),
          tool.get("cache_control")));
    }
    JsonNode format = format(b.get("response_format"), t);
    return new Conversation(optText(b.get("model"), "model"), system, turns, tools, toolChoice(b.get("tool_choice")),
        Fields.optBool(b.get("parallel_tool_calls"), "parallel_tool_calls"),
        b.hasNonNull("max_completion_tokens") ? Fields.optLong(b.get("max_completion_tokens"), "max_completion_tokens")
            : Fields.optLong(b.get("max_tokens"), "max_tokens"),
        Fields.optDouble(b.get("temperature"), "temperature"), Fields.optDouble(b.get("top_p"), "top_p"),
        Fields.stop(b.get("stop"), "stop"), Boolean.TRUE.equals(Fields.optBool(b.get("stream"), "stream")),
        b.hasNonNull("user") ? optText(b.get("user"), "user") : Fields.userOf(b.get("metadata")), format,
        optText(b.get("reasoning_effort"), "reasoning_effort"));
  }

  /** {@code response_format} in the Responses API's flat {@code text.format} shape; null for plain text. */
  private static JsonNode format(JsonNode rf, Target t) throws Unsupported {
    if (rf == null || rf.isNull()) {
      return null;
    }
    String type = text(object(rf, "response_format").get("type"), "response_format.type");
    if (type.equals("text")) {
      return null;
    }
    if (t.dialect() == Dialect.MESSAGES) {
      throw Fields.noStructuredOutput("response_format", type, t);
    }
    ObjectNode flat = Json.object().put("type", type);
    if (rf.get("json_schema") instanceof ObjectNode js) {
      flat.setAll(js);
    }
    return flat;
  }

  static ToolChoice toolChoice(JsonNode tc) throws Unsupported {
    if (tc == null || tc.isNull()) {
      return null;
    }
    if (tc.isTextual()) {
      return switch (tc.asText()) {
        case "auto" -> new ToolChoice(ToolChoice.Kind.AUTO, null);
        case "required" -> new ToolChoice(ToolChoice.Kind.ANY, null);
        case "none" -> new ToolChoice(ToolChoice.Kind.NONE, null);
        default -> throw new Unsupported("tool_choice", "unknown value " + tc.asText());
      };
    }
    object(tc, "tool_choice");
    JsonNode fn = tc.get("function");
    String name = fn != null ? text(fn.get("name"), "tool_choice.function.name") : text(tc.get("name"), "tool_choice.name");
    return new ToolChoice(ToolChoice.Kind.TOOL, name);
  }

  /** A message's content: a string, or text and image parts. */
  private static List<Block> parts(JsonNode c, String path, Target t) throws Unsupported {
    return Fields.parts(c, path, t, (part, p, type) -> switch (type) {
      case "text", "refusal" -> new Block.Text(text(part.get(type), p + "." + type), part.get("cache_control"));
      case "image_url" -> {
        JsonNode img = part.get("image_url");
        String url = img != null && img.isTextual() ? img.asText() : text(object(img, p + ".image_url").get("url"),
            p + ".image_url.url");
        yield Block.Image.ofUrl(url, part.get("cache_control"));
      }
      default -> null;
    });
  }

  static ObjectNode write(Conversation c, Target t) throws Unsupported {
    ObjectNode o = Json.object();
    o.put("model", t.model());
    ArrayNode msgs = o.putArray("messages");
    if (!c.system().isEmpty()) {
      msgs.addObject().put("role", "system").put("content", joined(c.system()));
    }
    for (Turn turn : c.turns()) {
      if (turn.role() == Turn.Role.SYSTEM) {
        msgs.addObject().put("role", "system").put("content", joined(turn.content().stream()
            .map(Block.Text.class::cast).toList()));
      } else if (turn.role() == Turn.Role.USER) {
        List<Block> rest = new ArrayList<>();
        for (Block b : turn.content()) {
          if (b instanceof Block.ToolResult r) {
            msgs.addObject().put("role", "tool").put("tool_call_id", r.toolUseId())
                .put("content", (r.error() ? "Error: " : "") + resultText(r, t));
          } else {
            rest.add(b);
          }
        }
        if (!rest.isEmpty()) {
          ObjectNode m = msgs.addObject().put("role", "user");
          if (rest.size() == 1 && rest.get(0) instanceof Block.Text text) {
            m.put("content", text.text());
          } else {
            ArrayNode parts = m.putArray("content");
            for (Block b : rest) {
              if (b instanceof Block.Text text) {
                parts.addObject().put("type", "text").put("text", text.text());
              } else if (b instanceof Block.Image img) {
                parts.addObject().put("type", "image_url").putObject("image_url").put("url", img.asUrl());
              }
            }
          }
        }
      } else {
        ObjectNode m = msgs.addObject().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (Block b : turn.content()) {
          if (b instanceof Block.Text x) {
            text.append(x.text());
          } else if (b instanceof Block.ToolUse u) {
            if (calls == null) {
              calls = Json.NODES.arrayNode();
            }
            ObjectNode call = calls.addObject().put("id", u.id()).put("type", "function");
            call.putObject("function").put("name", u.name()).put("arguments", Fields.json(u.input()));
          }
        }
        if (text.isEmpty() && calls != null) {
          m.putNull("content");
        } else {
          m.put("content", text.toString());
        }
        if (calls != null) {
          m.set("tool_calls", calls);
        }
      }
    }
    if (c.maxTokens() != null) {
      o.put(t.maxCompletionTokens() ? "max_completion_tokens" : "max_tokens", c.maxTokens());
    }
    Fields.putIfSet(o, "temperature", c.temperature());
    Fields.putIfSet(o, "top_p", c.topP());
    if (c.stop() != null && !c.stop().isEmpty()) {
      ArrayNode s = o.putArray("stop");
      c.stop().forEach(s::add);
    }
    if (t.streams(c.stream())) {
      o.put("stream", true);
      // Usage comes only in a last chunk the client must ask for; the translated answer reports it.
      o.putObject("stream_options").put("include_usage", true);
    }
    Fields.putIfSet(o, "user", c.user());
    if (!c.tools().isEmpty()) {
      ArrayNode tools = o.putArray("tools");
      for (ToolDef d : c.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", d.name());
        Fields.putIfSet(fn, "description", d.description());
        Fields.putIfSet(fn, "parameters", d.schema());
        Fields.putIfSet(fn, "strict", d.strict());
      }
      Fields.putIfSet(o, "parallel_tool_calls", c.parallelToolCalls());
    }
    toolChoice(o, c.toolChoice(), true);
    if (c.format() != null) {
      ObjectNode rf = o.putObject("response_format");
      String type = c.format().path("type").asText();
      rf.put("type", type);
      if (type.equals("json_schema")) {
        ObjectNode js = ((ObjectNode) c.format()).deepCopy();
        js.remove("type");
        rf.set("json_schema", js);
      }
    }
    Fields.putIfSet(o, "reasoning_effort", c.reasoningEffort());
    return o;
  }

  /**
   * OpenAI's {@code tool_choice}; a named tool's name is under {@code function} in Chat Completions
   * ({@code nested}) and beside the type in Responses.
   */
  static void toolChoice(ObjectNode o, ToolChoice ch, boolean nested) {
    if (ch == null) {
      return;
    }
    switch (ch.kind()) {
      case AUTO -> o.put("tool_choice", "auto");
      case ANY -> o.put("tool_choice", "required");
      case NONE -> o.put("tool_choice", "none");
      case TOOL -> {
        ObjectNode tc = o.putObject("tool_choice").put("type", "function");
        (nested ? tc.putObject("function") : tc).put("name", ch.name());
      }
    }
  }

  static String joined(List<Block.Text> texts) {
    StringBuilder sb = new StringBuilder();
    for (Block.Text x : texts) {
      sb.append(sb.isEmpty() ? "" : "\n\n").append(x.text());
    }
    return sb.toString();
  }

  /** A tool result as Chat Completions takes it: text only. */
  private static String resultText(Block.ToolResult r, Target t) throws Unsupported {
    StringBuilder sb = new StringBuilder();
    for (Block b : r.content()) {
      if (!(b instanceof Block.Text x)) {
        throw new Unsupported("tool_result.content", "images in tool results are not supported when "
            + t.clientModel() + " is served over " + t.apiName());
      }
      sb.append(x.text());
    }
    return sb.toString();
  }
}
