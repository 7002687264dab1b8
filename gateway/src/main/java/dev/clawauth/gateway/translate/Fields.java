package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reading a client's JSON into the pivot: type checks and refusals that name the field. */
final class Fields {
  private Fields() {}

  private static final ObjectMapper MAPPER = Json.strict();

  /** Refuses the first field of {@code obj} outside {@code known}: the upstream has no counterpart for it. */
  static void only(JsonNode obj, String path, Set<String> known, Target t) throws Unsupported {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext();) {
      String name = it.next();
      if (!known.contains(name) && !obj.get(name).isNull()) {
        throw noCounterpart(path + name, t);
      }
    }
  }

  static Unsupported noCounterpart(String field, Target t) {
    return new Unsupported(field, "not supported when " + t.clientModel() + " is served over " + t.apiName());
  }

  /** A value of a field ({@code what}, as "content type document") the upstream has no counterpart for. */
  static Unsupported noCounterpart(String field, String what, Target t) {
    return new Unsupported(field, what + " is not supported when " + t.clientModel() + " is served over " + t.apiName());
  }

  /** JSON output modes: the Messages API has none. */
  static Unsupported noStructuredOutput(String field, String type, Target t) {
    return new Unsupported(field, type + " is not supported when " + t.clientModel() + " is served over " + t.apiName()
        + " (describe the JSON wanted in the prompt, or use a tool)");
  }

  /** Reads one typed content part; null when the type has no counterpart. */
  interface PartReader {
    Block read(JsonNode part, String path, String type) throws Unsupported;
  }

  /** A message's content: a string, or typed parts each read by {@code reader}. */
  static List<Block> parts(JsonNode c, String path, Target t, PartReader reader) throws Unsupported {
    if (c != null && c.isTextual()) {
      return List.of(new Block.Text(c.asText(), null));
    }
    List<Block> out = new ArrayList<>();
    int i = 0;
    for (JsonNode part : array(c, path)) {
      String p = path + "[" + i++ + "]";
      object(part, p);
      String type = text(part.get("type"), p + ".type");
      Block b = reader.read(part, p, type);
      if (b == null) {
        throw noCounterpart(p + ".type", "content type " + type, t);
      }
      out.add(b);
    }
    return out;
  }

  static ObjectNode object(JsonNode n, String path) throws Unsupported {
    if (n instanceof ObjectNode o) {
      return o;
    }
    throw new Unsupported(path, "must be an object");
  }

  static List<JsonNode> array(JsonNode n, String path) throws Unsupported {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new Unsupported(path, "must be an array");
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  static String text(JsonNode n, String path) throws Unsupported {
    if (n != null && n.isTextual()) {
      return n.asText();
    }
    throw new Unsupported(path, "must be a string");
  }

  static String optText(JsonNode n, String path) throws Unsupported {
    return n == null || n.isNull() || n.isMissingNode() ? null : text(n, path);
  }

  static Long optLong(JsonNode n, String path) throws Unsupported {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new Unsupported(path, "must be an integer");
    }
    return n.asLong();
  }

  static Double optDouble(JsonNode n, String path) throws Unsupported {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (!n.isNumber()) {
      throw new Unsupported(path, "must be a number");
    }
    return n.asDouble();
  }

  static Boolean optBool(JsonNode n, String path) throws Unsupported {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new Unsupported(path, "must be true or false");
    }
    return n.asBoolean();
  }

  /** OpenAI's {@code stop}: a string or a list of them. */
  static List<String> stop(JsonNode n, String path) throws Unsupported {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isTextual()) {
      return List.of(n.asText());
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode s : array(n, path)) {
      out.add(text(s, path + "[" + i++ + "]"));
    }
    return out;
  }

  /** A tool call's arguments: OpenAI sends them as a JSON text, Anthropic as the object. */
  static JsonNode arguments(JsonNode n, String path) throws Unsupported {
    String s = text(n, path);
    if (s.isBlank()) {
      return Json.object();
    }
    try {
      JsonNode parsed = MAPPER.readTree(s);
      if (parsed == null || !parsed.isObject()) {
        throw new Unsupported(path, "must be a JSON object as text");
      }
      return parsed;
    } catch (JsonProcessingException e) {
      throw new Unsupported(path, "is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  static String json(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** OpenAI's metadata toward Anthropic: only the user id has a place there. */
  static String userOf(JsonNode metadata) {
    JsonNode u = metadata == null ? null : metadata.get("user_id");
    return u != null && u.isTextual() ? u.asText() : null;
  }

  static void putIfSet(ObjectNode o, String name, Object v) {
    switch (v) {
      case null -> { }
      case String s -> o.put(name, s);
      case Long l -> o.put(name, l);
      case Double d -> o.put(name, d);
      case Boolean b -> o.put(name, b);
      case JsonNode j -> o.set(name, j);
      default -> throw new IllegalArgumentException(v.getClass().getName());
    }
  }
}
