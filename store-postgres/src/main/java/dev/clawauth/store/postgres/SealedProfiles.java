package dev.clawauth.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.util.Set;

/**
 * Splits a profile into what may be read in a dump (its fields, in order, the secret ones set to
 * null where they stand) and its secrets (a JSON object of those fields, sealed apart), and joins
 * them back.
 */
final class SealedProfiles {
  /** Fields that hold a credential in any profile type Clawauth or OpenClaw writes. */
  static final Set<String> SECRET_FIELDS =
      Set.of("key", "token", "access", "refresh", "idToken", "apiKey", "secret", "clientSecret", "password");

  private SealedProfiles() {}

  /** @param secrets null when the profile holds none */
  record Split(ObjectNode body, ObjectNode secrets) {}

  static Split split(JsonNode profile) {
    if (!(profile instanceof ObjectNode o)) {
      // Not an object: kept as it is, as the file keeps it; it holds no field to seal.
      ObjectNode wrapper = Json.object();
      wrapper.set("$value", profile);
      return new Split(wrapper, null);
    }
    ObjectNode body = o.deepCopy();
    ObjectNode secrets = null;
    for (String f : SECRET_FIELDS) {
      JsonNode v = o.get(f);
      if (v != null && !v.isNull()) {
        if (secrets == null) {
          secrets = Json.object();
        }
        secrets.set(f, v);
        body.putNull(f);
      }
    }
    return new Split(body, secrets);
  }

  static JsonNode join(ObjectNode body, ObjectNode secrets) {
    if (body.size() == 1 && body.has("$value")) {
      return body.get("$value");
    }
    if (secrets != null) {
      secrets.properties().forEach(e -> body.set(e.getKey(), e.getValue()));
    }
    return body;
  }
}
