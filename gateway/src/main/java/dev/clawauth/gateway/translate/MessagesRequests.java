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

/** Anthropic Messages requests to and from the pivot. */
final class MessagesRequests {
  private MessagesRequests() {}

  /**
   * Dropped toward OpenAI models: {@code thinking} and the effort of {@code output_config} (the
   * model reasons by its own settings), the top-level {@code cache_control} (OpenAI caches by
   * itself), {@code context_management} (which only ever removes old context), and the scheduling
   * hints {@code service_tier}, {@code speed}, {@code inference_geo}.
   */
  private static final Set<String> TOP = Set.of("model", "messages", "system", "max_tokens", "temperature", "top_p",
      "stop_sequences", "stream", "metadata", "tools", "tool_choice", "thinking", "service_tier", "cache_control",
      "context_management", "output_config", "output_format", "speed", "inference_geo");

  static Conversation read(ObjectNode b, Target t) throws Unsupported {
    Fields.only(b, "", TOP, t);
    List<Block.Text> system = new ArrayList<>();
    JsonNode sys = b.get("system");
    if (sys != null && sys.isTextual()) {
      if (!sys.asText().isEmpty()) {
        system.add(new Block.Text(sys.asText(), null));
      }
    } else if (sys != null && !sys.isNull()) {
      int i = 0;
      for (JsonNode s : array(sys, "system")) {
        if (!(readBlock(s, "system[" + i + "]", t) instanceof Block.Text text)) {
          throw new Unsupported("system[" + i + "].type", "only text blocks are allowed in the system prompt");
        }
        system.add(text);
        i++;
      }
    }
    List<Turn> turns = new ArrayList<>();
    int i = 0;
    for (JsonNode m : array(b.get("messages"), "messages")) {
      String p = "messages[" + i++ + "]";
      object(m, p);
      Fields.only(m, p + ".", Set.of("role", "content"), t);
      String role = text(m.get("role"), p + ".role");
      Turn.Role r = switch (role) {
        case "user" -> Turn.Role.USER;
        case "assistant" -> Turn.Role.ASSISTANT;
        case "system" -> Turn.Role.SYSTEM;
        default -> throw new Unsupported(p + ".role", "must be user, assistant or system (not " + role + ")");
      };
      List<Block> content = content(m.get("content"), p + ".content", t);
      if (r == Turn.Role.SYSTEM && !content.stream().allMatch(Block.Text.class::isInstance)) {
        throw new Unsupported(p + ".content", "a system message holds text only");
      }
      turns.add(new Turn(r, content));
    }
    List<ToolDef> tools = new ArrayList<>();
    i = 0;
    for (JsonNode tool : array(b.get("tools"), "tools")) {
      String p = "tools[" + i++ + "]";
      object(tool, p);
      String type = tool.path("type").asText("custom");
      if (!type.equals("custom")) {
        throw Fields.noCounterpart(p + ".type", "Anthropic's server tool " + type, t);
      }
      Fields.only(tool, p + ".", Set.of("type", "name", "description", "input_schema", "cache_control"), t);
      tools.add(new ToolDef(text(tool.get("name"), p + ".name"), optText(tool.get("description"), p + ".description"),
          tool.get("input_schema"), null, tool.get("cache_control")));
    }
    ToolChoice choice = null;
    Boolean parallel = null;
    JsonNode tc = b.get("tool_choice");
    if (tc != null && !tc.isNull()) {
      object(tc, "tool_choice");
      String type = text(tc.get("type"), "tool_choice.type");
      choice = switch (type) {
        case "auto" -> new ToolChoice(ToolChoice.Kind.AUTO, null);
        case "any" -> new ToolChoice(ToolChoice.Kind.ANY, null);
        case "none" -> new ToolChoice(ToolChoice.Kind.NONE, null);
        case "tool" -> new ToolChoice(ToolChoice.Kind.TOOL, text(tc.get("name"), "tool_choice.name"));
        default -> throw new Unsupported("tool_choice.type", "unknown type " + type);
      };
      if (Boolean.TRUE.equals(Fields.optBool(tc.get("disable_parallel_tool_use"), "tool_choice.disable_parallel_tool_use"))) {
        parallel = false;
      }
    }
    List<String> stop = null;
    if (b.get("stop_sequences") != null && !b.get("stop_sequences").isNull()) {
      stop = Fields.stop(b.get("stop_sequences"), "stop_sequences");
    }
    JsonNode config = b.get("output_config");
    JsonNode format = config != null && config.hasNonNull("format") ? format(config.get("format"), "output_config.format")
        : format(b.get("output_format"), "output_format");
    return new Conversation(optText(b.get("model"), "model"), system, turns, tools, choice, parallel,
        Fields.optLong(b.get("max_tokens"), "max_tokens"), Fields.optDouble(b.get("temperature"), "temperature"),
        Fields.optDouble(b.get("top_p"), "top_p"), stop,
        Boolean.TRUE.equals(Fields.optBool(b.get("stream"), "stream")), Fields.userOf(b.get("metadata")), format, null);
  }

  /** Anthropic's structured output ({@code type: json_schema, schema}) as OpenAI's strict JSON schema format. */
  private static JsonNode format(JsonNode f, String path) throws Unsupported {
    if (f == null || f.isNull()) {
      return null;
    }
    String type = text(object(f, path).get("type"), path + ".type");
    if (!type.equals("json_schema")) {
      throw new Unsupported(path + ".type", "unknown type " + type);
    }
    ObjectNode flat = Json.object().put("type", "json_schema").put("name", "output");
    flat.set("schema", object(f.get("schema"), path + ".schema"));
    return flat.put("strict", true);
  }

  private static List<Block> content(JsonNode c, String path, Target t) throws Unsupported {
    if (c != null && c.isTextual()) {
      return List.of(new Block.Text(c.asText(), null));
    }
    List<Block> out = new ArrayList<>();
    int i = 0;
    for (JsonNode block : array(c, path)) {
      Block b = readBlock(block, path + "[" + i++ + "]", t);
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  /** One block; null for earlier reasoning, which OpenAI models cannot take back. */
  private static Block readBlock(JsonNode b, String p, Target t) throws Unsupported {
    object(b, p);
    String type = text(b.get("type"), p + ".type");
    JsonNode cache = b.get("cache_control");
    switch (type) {
      case "text" -> {
        // Citations of earlier answers are annotations only.
        Fields.only(b, p + ".", Set.of("type", "text", "cache_control", "citations"), t);
        return new Block.Text(text(b.get("text"), p + ".text"), cache);
      }
      case "image" -> {
        Fields.only(b, p + ".", Set.of("type", "source", "cache_control"), t);
        JsonNode src = object(b.get("source"), p + ".source");
        String st = text(src.get("type"), p + ".source.type");
        return switch (st) {
          case "base64" -> new Block.Image(text(src.get("media_type"), p + ".source.media_type"),
              text(src.get("data"), p + ".source.data"), null, cache);
          case "url" -> new Block.Image(null, null, text(src.get("url"), p + ".source.url"), cache);
          default -> throw Fields.noCounterpart(p + ".source.type", "image source " + st, t);
        };
      }
      case "tool_use" -> {
        Fields.only(b, p + ".", Set.of("type", "id", "name", "input", "cache_control"), t);
        return new Block.ToolUse(text(b.get("id"), p + ".id"), text(b.get("name"), p + ".name"),
            object(b.get("input"), p + ".input"), cache);
      }
      case "tool_result" -> {
        Fields.only(b, p + ".", Set.of("type", "tool_use_id", "content", "is_error", "cache_control"), t);
        JsonNode c = b.get("content");
        List<Block> inner = c == null || c.isNull() ? List.of() : content(c, p + ".content", t);
        return new Block.ToolResult(text(b.get("tool_use_id"), p + ".tool_use_id"), inner,
            Boolean.TRUE.equals(Fields.optBool(b.get("is_error"), p + ".is_error")), cache);
      }
      case "thinking", "redacted_thinking" -> {
        return null;
      }
      default -> throw Fields.noCounterpart(p + ".type", "content type " + type, t);
    }
  }

  static ObjectNode write(Conversation c, Target t) {
    ObjectNode o = Json.object();
    o.put("model", t.model());
    if (!c.system().isEmpty()) {
      ArrayNode sys = o.putArray("system");
      c.system().forEach(s -> sys.add(block(s)));
    }
    ArrayNode msgs = o.putArray("messages");
    Turn.Role last = null;
    ArrayNode lastContent = null;
    for (Turn turn : c.turns()) {
      // Consecutive turns of one role become one message, tool results first as the API wants them.
      if (turn.role() != last) {
        ObjectNode m = msgs.addObject();
        m.put("role", switch (turn.role()) {
          case USER -> "user";
          case ASSISTANT -> "assistant";
          case SYSTEM -> "system";
        });
        lastContent = m.putArray("content");
        last = turn.role();
      }
      for (Block b : turn.content()) {
        if (b instanceof Block.ToolResult) {
          int at = 0;
          while (at < lastContent.size() && lastContent.get(at).path("type").asText().equals("tool_result")) {
            at++;
          }
          lastContent.insert(at, block(b));
        } else {
          lastContent.add(block(b));
        }
      }
    }
    o.put("max_tokens", c.maxTokens() != null ? c.maxTokens() : t.defaultMaxTokens());
    Fields.putIfSet(o, "temperature", c.temperature());
    Fields.putIfSet(o, "top_p", c.topP());
    if (c.stop() != null && !c.stop().isEmpty()) {
      ArrayNode s = o.putArray("stop_sequences");
      c.stop().forEach(s::add);
    }
    if (c.stream()) {
      o.put("stream", true);
    }
    if (c.user() != null) {
      o.putObject("metadata").put("user_id", c.user());
    }
    if (!c.tools().isEmpty()) {
      ArrayNode tools = o.putArray("tools");
      for (ToolDef d : c.tools()) {
        ObjectNode tool = tools.addObject();
        tool.put("name", d.name());
        Fields.putIfSet(tool, "description", d.description());
        tool.set("input_schema", d.schema() == null ? Json.object().put("type", "object") : d.schema());
        Fields.putIfSet(tool, "cache_control", d.cache());
      }
    }
    if (c.toolChoice() != null || Boolean.FALSE.equals(c.parallelToolCalls())) {
      ToolChoice ch = c.toolChoice() == null ? new ToolChoice(ToolChoice.Kind.AUTO, null) : c.toolChoice();
      ObjectNode tc = o.putObject("tool_choice");
      tc.put("type", switch (ch.kind()) {
        case AUTO -> "auto";
        case ANY -> "any";
        case NONE -> "none";
        case TOOL -> "tool";
      });
      Fields.putIfSet(tc, "name", ch.name());
      if (Boolean.FALSE.equals(c.parallelToolCalls()) && ch.kind() != ToolChoice.Kind.NONE) {
        tc.put("disable_parallel_tool_use", true);
      }
    }
    return o;
  }

  static ObjectNode block(Block b) {
    ObjectNode o = Json.object();
    switch (b) {
      case Block.Text t -> {
        o.put("type", "text");
        o.put("text", t.text());
      }
      case Block.Image i -> {
        o.put("type", "image");
        ObjectNode src = o.putObject("source");
        if (i.url() != null) {
          src.put("type", "url");
          src.put("url", i.url());
        } else {
          src.put("type", "base64");
          src.put("media_type", i.mediaType());
          src.put("data", i.data());
        }
      }
      case Block.ToolUse u -> {
        o.put("type", "tool_use");
        o.put("id", u.id());
        o.put("name", u.name());
        o.set("input", u.input());
      }
      case Block.ToolResult r -> {
        o.put("type", "tool_result");
        o.put("tool_use_id", r.toolUseId());
        ArrayNode content = o.putArray("content");
        r.content().forEach(x -> content.add(block(x)));
        if (r.error()) {
          o.put("is_error", true);
        }
      }
    }
    Fields.putIfSet(o, "cache_control", b.cache());
    return o;
  }
}
