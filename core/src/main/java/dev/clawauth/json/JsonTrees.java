package dev.clawauth.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds a {@link JsonNode} tree from a streaming parser with the node types that
 * {@code ObjectMapper.readTree} picks (int, long or big integer; double, or a big decimal for a
 * literal beyond a double's range; a repeated key keeps its first position and its last value),
 * without the cost of creating an ObjectMapper.
 */
final class JsonTrees {
  private JsonTrees() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Reads the value at the parser's current token, leaving the parser on its last token. */
  static JsonNode read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    return switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          o.replace(key, read(p));
        }
        yield o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p));
        }
        yield a;
      }
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> {
        double d = p.getDoubleValue();
        // A literal beyond a double's range keeps its digits: written back as Infinity it would
        // make the file unreadable to both programs.
        if (!Double.isInfinite(d) || p.isNaN()) {
          yield NODES.numberNode(d);
        }
        try {
          yield NODES.numberNode(p.getDecimalValue());
        } catch (NumberFormatException tooLarge) {
          throw new com.fasterxml.jackson.core.JsonParseException(p, "number out of range");
        }
      }
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IOException("unexpected JSON token " + t);
    };
  }
}
