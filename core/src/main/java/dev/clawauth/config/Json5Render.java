package dev.clawauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a value that an edit puts into a config file, in the file's {@link Json5Style}. Strings and
 * numbers are written as {@link JsonText} writes them (JSON.stringify's escapes and numbers), so a
 * new value reads back as the same value.
 */
final class Json5Render {
  private Json5Render() {}

  /** A plain identifier, which JSON5 (and Jackson's unquoted names) accept as a key. */
  static boolean isIdentifier(String key) {
    if (key.isEmpty() || !isStart(key.charAt(0))) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      if (!isStart(key.charAt(i)) && !(key.charAt(i) >= '0' && key.charAt(i) <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  }

  static String key(String key, Json5Style style) {
    return style.unquotedKeys() && isIdentifier(key) ? key : scalar(Json.NODES.textNode(key));
  }

  /** The value on one line. */
  static String inline(JsonNode value, Json5Style style) {
    if (!value.isContainerNode()) {
      return scalar(value);
    }
    if (value.isEmpty()) {
      return value.isArray() ? "[]" : "{}";
    }
    boolean pad = value.isArray() ? style.padArrays() : style.padObjects();
    StringBuilder out = new StringBuilder().append(value.isArray() ? '[' : '{').append(pad ? " " : "");
    Iterator<Map.Entry<String, JsonNode>> members = value.isObject() ? value.properties().iterator() : null;
    for (int i = 0; i < value.size(); i++) {
      out.append(i > 0 ? ", " : "");
      if (members != null) {
        Map.Entry<String, JsonNode> e = members.next();
        out.append(key(e.getKey(), style)).append(": ").append(inline(e.getValue(), style));
      } else {
        out.append(inline(value.get(i), style));
      }
    }
    return out.append(pad ? " " : "").append(value.isArray() ? ']' : '}').toString();
  }

  /** The value over several lines, its members one level deeper than {@code indent}, as OpenClaw writes. */
  static String block(JsonNode value, String indent, Json5Style style) {
    if (!value.isContainerNode() || value.isEmpty()) {
      return inline(value, style);
    }
    String inner = indent + style.indent();
    StringBuilder out = new StringBuilder().append(value.isArray() ? '[' : '{');
    Iterator<Map.Entry<String, JsonNode>> members = value.isObject() ? value.properties().iterator() : null;
    for (int i = 0; i < value.size(); i++) {
      out.append(style.newline()).append(inner);
      JsonNode item;
      if (members != null) {
        Map.Entry<String, JsonNode> e = members.next();
        out.append(key(e.getKey(), style)).append(": ");
        item = e.getValue();
      } else {
        item = value.get(i);
      }
      out.append(block(item, inner, style));
      if (i < value.size() - 1 || style.trailingCommas()) {
        out.append(',');
      }
    }
    return out.append(style.newline()).append(indent).append(value.isArray() ? ']' : '}').toString();
  }

  private static String scalar(JsonNode value) {
    String text = JsonText.pretty(value);
    return text.substring(0, text.length() - 1);
  }
}
