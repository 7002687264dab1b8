package dev.clawauth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.clawauth.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads the claims of a JWT without checking its signature: the tokens came from the issuer over
 * TLS, and only account and email claims are read from them.
 */
public final class Jwt {
  private Jwt() {}

  /** The payload as JSON, or a missing node when {@code token} is not a readable JWT. */
  public static JsonNode claims(String token) {
    if (token == null) {
      return MissingNode.getInstance();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length < 2) {
      return MissingNode.getInstance();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
      JsonNode n = Json.strict().readTree(new String(payload, StandardCharsets.UTF_8));
      return n != null && n.isObject() ? n : MissingNode.getInstance();
    } catch (Exception notAJwt) {
      // The message could quote the token; callers only need "no claims".
      return MissingNode.getInstance();
    }
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  /** A claim's text value, or null; {@code path} names nested objects. */
  public static String text(String token, String... path) {
    JsonNode n = claims(token);
    for (String p : path) {
      n = n.path(p);
    }
    return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
  }
}
