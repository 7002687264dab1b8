package dev.clawauth.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A client's request body as the gateway needs it. {@link #scan} reads the bytes once with a
 * streaming parser (which also validates them) and keeps only the fields the gateway looks at:
 * {@code model}, {@code stream}, {@code user}, {@code metadata}, and the last element of
 * {@code messages} / {@code input}. The full tree is built only when the body must change (a
 * model renamed, the subscription system prompt, a cache TTL); otherwise the client's bytes go
 * upstream as they are.
 */
final class RequestBody {
  private static final ObjectMapper MAPPER = Json.strict();
  /** Reads one value in the middle of the body: what follows it is not "trailing". */
  private static final com.fasterxml.jackson.databind.ObjectReader VALUE = MAPPER.reader()
      .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final byte[] raw;
  private final ObjectNode fields;
  private volatile String renamedModel;
  private ObjectNode tree;

  private RequestBody(byte[] raw, ObjectNode fields) {
    this.raw = raw;
    this.fields = fields;
  }

  /**
   * Validates {@code raw} and extracts the fields; null when it is valid JSON but not an object.
   *
   * @throws IOException when it is not valid JSON, with the parser's message
   */
  static RequestBody scan(byte[] raw, Api api) throws IOException {
    String items = api == Api.OPENAI_RESPONSES ? "input" : "messages";
    try (JsonParser p = MAPPER.getFactory().createParser(raw)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("the request body is empty");
      }
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        end(p);
        return null;
      }
      ObjectNode out = Json.object();
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if (name.equals(items) && t == JsonToken.START_ARRAY) {
          out.set(name, last(p, raw));
        } else if (name.equals("model") || name.equals("stream") || name.equals("user")
            || name.equals("metadata") || name.equals(items)) {
          out.set(name, VALUE.readTree(p));
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new IOException("unexpected " + t + " in the request body");
      }
      end(p);
      return new RequestBody(raw, out);
    }
  }

  /** An array holding only the last element of the array at the parser, the others skipped unparsed. */
  private static ArrayNode last(JsonParser p, byte[] raw) throws IOException {
    ArrayNode arr = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    JsonNode lastScalar = null;
    long start = -1;
    long end = -1;
    for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY;) {
      if (t == null) {
        throw new IOException("unexpected end of the request body");
      }
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        end = p.currentLocation().getByteOffset();
        lastScalar = null;
      } else {
        lastScalar = VALUE.readTree(p);
        start = -1;
      }
    }
    if (lastScalar != null) {
      arr.add(lastScalar);
    } else if (start >= 0) {
      arr.add(MAPPER.readTree(raw, (int) start, (int) (end - start)));
    }
    return arr;
  }

  private static void end(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new IOException("trailing content after the JSON value");
    }
  }

  /** The fields the gateway reads; {@code messages}/{@code input} hold only their last element. */
  ObjectNode fields() {
    return fields;
  }

  /** Sends {@code model} upstream instead of the client's value. */
  void renameModel(String model) {
    this.renamedModel = model;
  }

  /** The client's bytes when nothing was changed, else null. */
  byte[] unchanged() {
    return renamedModel == null ? raw : null;
  }

  /** The whole body as a tree (with the model renamed), parsed on first use; callers copy before changing it. */
  synchronized ObjectNode tree() {
    if (tree == null) {
      try {
        tree = (ObjectNode) MAPPER.readTree(raw);
      } catch (IOException e) {
        throw new IllegalStateException("the request body was valid a moment ago", e);
      }
      if (renamedModel != null) {
        tree.put("model", renamedModel);
      }
    }
    return tree;
  }

  /** The body to send when nothing else changes it. */
  byte[] bytes() {
    byte[] same = unchanged();
    return same != null ? same : JsonBytes.write(tree());
  }

  /** Whether the raw body may contain {@code ascii} (a cheap test before walking the tree). */
  boolean mayContain(String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + needle.length <= raw.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (raw[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
