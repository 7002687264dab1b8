package dev.clawauth.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a success or failure does to a profile's usage stats (spec: "Recording outcomes"). */
public final class Cooldowns {
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;

  private final CooldownSettings settings;

  /** {@code settings} is the config's {@code auth.cooldowns} object (may be missing), read here once. */
  public Cooldowns(JsonNode settings) {
    this(CooldownSettings.from(settings));
  }

  public Cooldowns(CooldownSettings settings) {
    this.settings = settings;
  }

  public void recordSuccess(StoreDocument doc, String provider, String id, long now) {
    ObjectNode n = doc.usageNode(id);
    UsageStats u = UsageStats.from(n);
    new UsageStats(now, 0, 0, null, 0, Map.of(), u.lastFailureAt()).writeInto(n);
    n.remove("cooldownReason");
    doc.setLastGood(provider, id);
  }

  /** Applies a failure; returns the time until which the profile is unusable. */
  public long recordFailure(StoreDocument doc, String provider, String id, FailureReason reason, long now) {
    ObjectNode n = doc.usageNode(id);
    UsageStats u = UsageStats.from(n);
    long window = settings.failureWindow().toMillis();
    boolean fresh = u.lastFailureAt() > 0 && now - u.lastFailureAt() > window;
    int errors = (fresh ? 0 : u.errorCount()) + 1;
    Map<String, Integer> counts = new LinkedHashMap<>(fresh ? Map.of() : u.failureCounts());
    counts.merge(reason.wire(), 1, Integer::sum);
    long cooldownUntil = u.cooldownUntil();
    long disabledUntil = u.disabledUntil();
    String disabledReason = u.disabledReason();
    if (reason == FailureReason.BILLING) {
      int k = counts.get("billing");
      long base = Math.max(MINUTE, settings.billingBackoffFor(provider).toMillis());
      long max = Math.max(base, settings.billingMax().toMillis());
      disabledUntil = now + Math.min(max, base * (1L << Math.min(k - 1, 10)));
      disabledReason = "billing";
    } else {
      long pow = 1;
      for (int i = 0; i < Math.min(errors - 1, 3); i++) {
        pow *= 5;
      }
      cooldownUntil = now + Math.min(HOUR, MINUTE * pow);
      n.put("cooldownReason", reason.wire());
    }
    new UsageStats(u.lastUsed(), cooldownUntil, disabledUntil, disabledReason, errors, counts, now)
        .writeInto(n);
    return Math.max(cooldownUntil, disabledUntil);
  }

  /** Manual reset: clears the error count and the cooldown. */
  public void reset(StoreDocument doc, String id) {
    ObjectNode n = doc.usageNode(id);
    n.put("errorCount", 0);
    n.remove("cooldownUntil");
    n.remove("cooldownReason");
  }
}
