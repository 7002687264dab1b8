package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code usageStats[profileId]}: when a profile was used, and its cooldown or billing disable. */
public record UsageStats(long lastUsed, long cooldownUntil, long disabledUntil, String disabledReason,
    int errorCount, Map<String, Integer> failureCounts, long lastFailureAt) {

  public static final UsageStats EMPTY = new UsageStats(0, 0, 0, null, 0, Map.of(), 0);

  public static UsageStats from(JsonNode n) {
    if (n == null || !n.isObject()) {
      return EMPTY;
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    JsonNode fc = n.get("failureCounts");
    if (fc != null && fc.isObject()) {
      fc.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt(0)));
    }
    return new UsageStats(time(n, "lastUsed"), time(n, "cooldownUntil"), time(n, "disabledUntil"),
        // Shown by status and list: whatever wrote it, no token-shaped text is shown from it.
        n.hasNonNull("disabledReason")
            ? dev.clawauth.credentials.SecretFilter.shortMessage(n.get("disabledReason").asText(), java.util.List.of()) : null,
        n.path("errorCount").asInt(0), Map.copyOf(counts), time(n, "lastFailureAt"));
  }

  private static long time(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      return 0;
    }
    double d = v.asDouble();
    return Double.isFinite(d) && d > 0 ? (long) d : 0;
  }

  /** The moment the profile becomes usable again; 0 when it is usable now or never cooled. */
  public long unusableUntil() {
    return Math.max(cooldownUntil, disabledUntil);
  }

  public boolean unusableAt(long now) {
    return unusableUntil() > now;
  }

  /** Writes these stats into {@code target}, keeping fields this version does not know. */
  public void writeInto(ObjectNode target) {
    put(target, "lastUsed", lastUsed);
    put(target, "cooldownUntil", cooldownUntil);
    put(target, "disabledUntil", disabledUntil);
    if (disabledReason == null) {
      target.remove("disabledReason");
    } else {
      target.put("disabledReason", disabledReason);
    }
    target.put("errorCount", errorCount);
    if (failureCounts.isEmpty()) {
      target.remove("failureCounts");
    } else {
      ObjectNode fc = Json.object();
      failureCounts.forEach(fc::put);
      target.set("failureCounts", fc);
    }
    put(target, "lastFailureAt", lastFailureAt);
  }

  private static void put(ObjectNode target, String field, long value) {
    if (value > 0) {
      target.put(field, value);
    } else {
      target.remove(field);
    }
  }
}
