package dev.clawauth.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a tree exactly as Node's {@code JSON.stringify(value, null, 2)} does, so files Clawauth
 * writes are byte-for-byte what OpenClaw would write for the same data.
 */
public final class JsonText {
  private JsonText() {}

  public static String pretty(JsonNode node) {
    StringBuilder out = new StringBuilder(512);
    write(node, out, 0);
    return out.append('\n').toString();
  }

  /** As {@code JSON.stringify(value)}: no white space, as OpenClaw 2026.9 writes its rows. */
  public static String compact(JsonNode node) {
    StringBuilder out = new StringBuilder(512);
    write(node, out, -1);
    return out.toString();
  }

  /** {@code depth} -1 writes compact JSON. */
  private static void write(JsonNode node, StringBuilder out, int depth) {
    boolean pretty = depth >= 0;
    int inner = pretty ? depth + 1 : -1;
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append(pretty ? "{\n" : "{");
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        var e = fields.next();
        indent(out, inner);
        quote(e.getKey(), out);
        out.append(pretty ? ": " : ":");
        write(e.getValue(), out, inner);
        if (fields.hasNext()) {
          out.append(',');
        }
        newline(out, pretty);
      }
      indent(out, depth);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append(pretty ? "[\n" : "[");
      for (int i = 0; i < node.size(); i++) {
        indent(out, inner);
        write(node.get(i), out, inner);
        if (i < node.size() - 1) {
          out.append(',');
        }
        newline(out, pretty);
      }
      indent(out, depth);
      out.append(']');
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else if (node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isBigDecimal()) {
      out.append(node.decimalValue().toString());
    } else if (node.isFloatingPointNumber()) {
      double d = node.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        out.append((long) d);
      } else {
        out.append(node.asText());
      }
    } else {
      out.append(node.asText());
    }
  }

  // JSON.stringify's escapes: short forms for \b \t \n \f \r, lower-case hex escapes for the other
  // control characters, and hex escapes for lone surrogates; everything else is written as it is.
  // (Jackson's encoder writes upper-case hex, which changed the bytes of such files.)
  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          boolean loneSurrogate = Character.isHighSurrogate(c)
              ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
              : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || loneSurrogate) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void newline(StringBuilder out, boolean pretty) {
    if (pretty) {
      out.append('\n');
    }
  }

  private static void indent(StringBuilder out, int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }
}
