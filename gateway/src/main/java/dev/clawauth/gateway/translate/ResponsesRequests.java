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

/** OpenAI Responses requests to and from the pivot. */
final class ResponsesRequests {
  private ResponsesRequests() {}

  /**
   * Besides the mapped fields: hints with no effect on the answer's meaning ({@code store},
   * {@code include}, {@code service_tier}, {@code prompt_cache_key}, {@code safety_identifier},
   * {@code metadata}, {@code client_metadata} (Codex CLI's), {@code reasoning} beyond its effort);
   * {@code truncation} passes only as
   * {@code disabled}, the default.
   */
  private static final Set<String> TOP = Set.of("model", "input", "instructions", "max_output_tokens", "temperature",
      "top_p", "stream", "user", "metadata", "tools", "tool_choice", "parallel_tool_calls", "text", "reasoning",
      "store", "include", "service_tier", "prompt_cache_key", "safety_identifier", "truncation", "client_metadata");

  /**
   * Tools left out toward another API rather than refused: OpenAI's hosted web search and Codex
   * CLI's tool namespaces (its sub-agent tools) only widen what the model may do, and Codex CLI
   * sends them with every request, so refusing them would make Claude models unusable from it.
   * A hosted tool that a request forces through {@code tool_choice} is still refused.
   */
  private static final Set<String> OFFERED_ONLY = Set.of("namespace");

  static Conversation read(ObjectNode b, Target t) throws Unsupported {
    Fields.only(b, "", TOP, t);
    String truncation = optText(b.get("truncation"), "truncation");
    if (truncation != null && !truncation.equals("disabled")) {
      throw Fields.noCounterpart("truncation", t);
    }
    List<Block.Text> system = new ArrayList<>();
    String instructions = optText(b.get("instructions"), "instructions");
    if (instructions != null && !instructions.isEmpty()) {
      system.add(new Block.Text(instructions, null));
    }
    List<Turn> turns = new ArrayList<>();
    JsonNode input = b.get("input");
    if (input != null && input.isTextual()) {
      turns.add(new Turn(Turn.Role.USER, List.of(new Block.Text(input.asText(), null))));
    } else {
      int i = 0;
      for (JsonNode item : array(input, "input")) {
        item(item, "input[" + i++ + "]", t, system, turns);
      }
    }
    List<ToolDef> tools = new ArrayList<>();
    int i = 0;
    for (JsonNode tool : array(b.get("tools"), "tools")) {
      String p = "tools[" + i++ + "]";
      object(tool, p);
      String type = text(tool.get("type"), p + ".type");
      if (OFFERED_ONLY.contains(type) || type.startsWith("web_search")) {
        // Codex CLI offers these with every request; a model that cannot have them answers without.
        continue;
      }
      if (!type.equals("function")) {
        throw Fields.noCounterpart(p + ".type", "tool type " + type, t);
      }
      Fields.only(tool, p + ".", Set.of("type", "name", "description", "parameters", "strict", "cache_control"), t);
      tools.add(new ToolDef(text(tool.get("name"), p + ".name"), optText(tool.get("description"), p + ".description"),
          tool.get("parameters"), Fields.optBool(tool.get("strict"), p + ".strict"), tool.get("cache_control")));
    }
    JsonNode format = null;
    JsonNode textOpt = b.get("text");
    if (textOpt != null && !textOpt.isNull()) {
      JsonNode f = object(textOpt, "text").get("format");
      if (f != null && !f.isNull() && !text(object(f, "text.format").get("type"), "text.format.type").equals("text")) {
        if (t.dialect() == Dialect.MESSAGES) {
          throw Fields.noStructuredOutput("text.format", f.get("type").asText(), t);
        }
        format = f;
      }
    }
    JsonNode reasoning = b.get("reasoning");
    String effort = reasoning != null && reasoning.isObject() ? optText(reasoning.get("effort"), "reasoning.effort") : null;
    return new Conversation(optText(b.get("model"), "model"), system, turns, tools, ChatRequests.toolChoice(b.get("tool_choice")),
        Fields.optBool(b.get("parallel_tool_calls"), "parallel_tool_calls"),
        Fields.optLong(b.get("max_output_tokens"), "max_output_tokens"),
        Fields.optDouble(b.get("temperature"), "temperature"), Fields.optDouble(b.get("top_p"), "top_p"), null,
        Boolean.TRUE.equals(Fields.optBool(b.get("stream"), "stream")),
        b.hasNonNull("user") ? optText(b.get("user"), "user") : Fields.userOf(b.get("metadata")), format, effort);
  }

  private static void item(JsonNode item, String p, Target t, List<Block.Text> system, List<Turn> turns)
      throws Unsupported {
    object(item, p);
    String type = item.has("type") ? text(item.get("type"), p + ".type") : "message";
    switch (type) {
      case "message" -> {
        String role = text(item.get("role"), p + ".role");
        List<Block> content = parts(item.get("content"), p + ".content", t);
        switch (role) {
          case "system", "developer" -> {
            for (Block x : content) {
              if (!(x instanceof Block.Text text)) {
                throw new Unsupported(p + ".content", "a " + role + " message holds text only");
              }
              system.add(text);
            }
          }
          case "user" -> add(turns, Turn.Role.USER, content);
          case "assistant" -> add(turns, Turn.Role.ASSISTANT, content);
          default -> throw new Unsupported(p + ".role", "role " + role + " is not supported");
        }
      }
      case "function_call" -> add(turns, Turn.Role.ASSISTANT, List.of(new Block.ToolUse(text(item.get("call_id"),
          p + ".call_id"), text(item.get("name"), p + ".name"), Fields.arguments(item.get("arguments"), p + ".arguments"),
          null)));
      case "function_call_output" -> {
        JsonNode out = item.get("output");
        List<Block> result = out != null && out.isTextual() ? List.of(new Block.Text(out.asText(), null))
            : parts(out, p + ".output", t);
        add(turns, Turn.Role.USER, List.of(new Block.ToolResult(text(item.get("call_id"), p + ".call_id"), result, false,
            null)));
      }
      // An OpenAI model's earlier reasoning, opaque to any other model.
      case "reasoning" -> { }
      default -> throw Fields.noCounterpart(p + ".type", "input item type " + type, t);
    }
  }

  private static void add(List<Turn> turns, Turn.Role role, List<Block> content) {
    if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == role) {
      List<Block> merged = new ArrayList<>(turns.get(turns.size() - 1).content());
      merged.addAll(content);
      turns.set(turns.size() - 1, new Turn(role, merged));
    } else {
      turns.add(new Turn(role, content));
    }
  }

  private static List<Block> parts(JsonNode c, String path, Target t) throws Unsupported {
    return Fields.parts(c, path, t, (part, p, type) -> switch (type) {
      case "input_text", "output_text" -> new Block.Text(text(part.get("text"), p + ".text"), part.get("cache_control"));
      case "refusal" -> new Block.Text(text(part.get("refusal"), p + ".refusal"), null);
      case "input_image" -> {
        if (!part.hasNonNull("image_url")) {
          throw Fields.noCounterpart(p + ".file_id", "an uploaded file", t);
        }
        yield Block.Image.ofUrl(text(part.get("image_url"), p + ".image_url"), part.get("cache_control"));
      }
      default -> null;
    });
  }

  static ObjectNode write(Conversation c, Target t) {
    ObjectNode o = Json.object();
    o.put("model", t.model());
    if (!c.system().isEmpty() || t.codex()) {
      o.put("instructions", ChatRequests.joined(c.system()));
    }
    ArrayNode input = o.putArray("input");
    for (Turn turn : c.turns()) {
      ArrayNode parts = null;
      for (Block b : turn.content()) {
        switch (b) {
          case Block.ToolResult r -> {
            parts = null;
            ObjectNode item = input.addObject().put("type", "function_call_output").put("call_id", r.toolUseId());
            if (r.content().stream().allMatch(Block.Text.class::isInstance)) {
              StringBuilder sb = new StringBuilder(r.error() ? "Error: " : "");
              r.content().forEach(x -> sb.append(((Block.Text) x).text()));
              item.put("output", sb.toString());
            } else {
              ArrayNode out = item.putArray("output");
              r.content().forEach(x -> part(out, x, Turn.Role.USER));
            }
          }
          case Block.ToolUse u -> {
            parts = null;
            input.addObject().put("type", "function_call").put("call_id", u.id()).put("name", u.name())
                .put("arguments", Fields.json(u.input()));
          }
          default -> {
            if (parts == null) {
              ObjectNode msg = input.addObject().put("type", "message")
                  .put("role", switch (turn.role()) {
                    case USER -> "user";
                    case ASSISTANT -> "assistant";
                    // The Responses API's role for instructions; "system" is its older name.
                    case SYSTEM -> "developer";
                  });
              parts = msg.putArray("content");
            }
            part(parts, b, turn.role());
          }
        }
      }
    }
    if (c.maxTokens() != null && !t.codex()) {
      // The Codex backend refuses a length limit: it sets its own.
      o.put("max_output_tokens", c.maxTokens());
    }
    Fields.putIfSet(o, "temperature", c.temperature());
    Fields.putIfSet(o, "top_p", c.topP());
    if (t.streams(c.stream())) {
      o.put("stream", true);
    }
    if (t.codex()) {
      o.put("store", false);
    } else {
      Fields.putIfSet(o, "user", c.user());
    }
    if (!c.tools().isEmpty()) {
      ArrayNode tools = o.putArray("tools");
      for (ToolDef d : c.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").put("name", d.name());
        Fields.putIfSet(fn, "description", d.description());
        fn.set("parameters", d.schema() == null ? Json.object().put("type", "object") : d.schema());
        // Strict is the Responses default, and it refuses most schemas written for other APIs.
        fn.put("strict", Boolean.TRUE.equals(d.strict()));
      }
      Fields.putIfSet(o, "parallel_tool_calls", c.parallelToolCalls());
    }
    ChatRequests.toolChoice(o, c.toolChoice(), false);
    if (c.format() != null) {
      o.putObject("text").set("format", c.format());
    }
    if (c.reasoningEffort() != null) {
      o.putObject("reasoning").put("effort", c.reasoningEffort());
    }
    return o;
  }

  private static void part(ArrayNode parts, Block b, Turn.Role role) {
    if (b instanceof Block.Text x) {
      parts.addObject().put("type", role == Turn.Role.ASSISTANT ? "output_text" : "input_text").put("text", x.text());
    } else if (b instanceof Block.Image img) {
      parts.addObject().put("type", "input_image").put("image_url", img.asUrl());
    }
  }
}
