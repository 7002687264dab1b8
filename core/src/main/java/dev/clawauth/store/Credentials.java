package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.util.Optional;

/** Maps profiles between the file's JSON shape and {@link Credential}. */
final class Credentials {
  private Credentials() {}

  static final String RELOGIN_FIELD = "clawauthRelogin";

  static Optional<Credential> fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      return Optional.empty();
    }
    String provider = text(n, "provider");
    if (provider == null || provider.isBlank()) {
      return Optional.empty();
    }
    String email = text(n, "email");
    return switch (String.valueOf(text(n, "type"))) {
      case "api_key" -> Optional.of(new Credential.ApiKey(provider, secret(n, "key"), email));
      case "token" -> Optional.of(new Credential.Token(provider, secret(n, "token"), millis(n), email));
      case "oauth" -> Optional.of(new Credential.OAuth(provider, secret(n, "access"),
          secret(n, "refresh"), millis(n), text(n, "accountId"), email, reloginReason(n)));
      default -> Optional.empty();
    };
  }

  static ObjectNode toJson(Credential c, ObjectNode existing) {
    ObjectNode n = existing != null ? existing : Json.object();
    n.put("type", c.type());
    n.put("provider", c.provider());
    switch (c) {
      case Credential.ApiKey k -> n.put("key", k.key().value());
      case Credential.Token t -> {
        n.put("token", t.token().value());
        if (t.expires() > 0) {
          n.put("expires", t.expires());
        } else {
          n.remove("expires");
        }
      }
      case Credential.OAuth o -> {
        n.put("access", o.access().value());
        n.put("refresh", o.refresh().value());
        n.put("expires", o.expires());
        if (o.accountId() != null) {
          n.put("accountId", o.accountId());
        }
        if (o.reloginReason() != null) {
          ObjectNode r = n.putObject(RELOGIN_FIELD);
          r.put("reason", o.reloginReason());
        } else {
          n.remove(RELOGIN_FIELD);
        }
      }
    }
    if (c.email() != null) {
      n.put("email", c.email());
    }
    return n;
  }

  /** Set when a refresh failed terminally: Clawauth's mark, or OpenClaw 2026.9's failed fence. */
  private static String reloginReason(JsonNode n) {
    if (n.path(RELOGIN_FIELD).isObject()) {
      // A token endpoint's words, maybe written by an older release or another program: status and
      // doctor show them, so whatever token they echo is masked on reading.
      return dev.clawauth.credentials.SecretFilter.shortMessage(n.path(RELOGIN_FIELD).path("reason").asText("revoked"),
          java.util.Arrays.asList(text(n, "access"), text(n, "refresh")));
    }
    return OAuthFence.parse(text(n, "access"), text(n, "refresh"), millis(n))
        .filter(f -> f.state() == OAuthFence.State.FAILED)
        .map(f -> FAILED_FENCE_REASON).orElse(null);
  }

  /** How a failed fence reads where a refresh error's name would stand. */
  static final String FAILED_FENCE_REASON = "an OpenClaw refresh failed";

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static Secret secret(JsonNode n, String field) {
    String v = text(n, field);
    return new Secret(v == null ? "" : v.trim());
  }

  private static long millis(JsonNode n) {
    JsonNode v = n.get("expires");
    if (v == null || !v.isNumber()) {
      return 0;
    }
    double d = v.asDouble();
    return Double.isFinite(d) && d > 0 ? (long) d : 0;
  }
}
