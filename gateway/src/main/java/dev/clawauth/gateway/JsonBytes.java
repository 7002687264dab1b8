package dev.clawauth.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Compact JSON in and out for request and response bodies. */
final class JsonBytes {
  private JsonBytes() {}

  private static final ObjectMapper MAPPER = Json.strict();

  static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String string(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a request body; throws {@link IOException} with the parser's message when it is not JSON. */
  static JsonNode read(byte[] body) throws IOException {
    JsonNode n = MAPPER.readTree(body);
    if (n == null || n.isMissingNode()) {
      throw new IOException("the request body is empty");
    }
    return n;
  }
}
