package dev.clawauth.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.clawauth.store.Providers;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The config's {@code auth.cooldowns}, read once: each setting in hours, a missing, non-numeric or
 * non-positive one replaced by its default. A per-provider billing backoff counts when it is a
 * number (any sign: the backoff is at least a minute anyway); other entries are ignored.
 *
 * @param failureWindow {@code failureWindowHours} (24): a failure after this long starts counting again
 * @param billingBackoff {@code billingBackoffHours} (5): the first billing disable
 * @param billingMax {@code billingMaxHours} (24): the longest billing disable
 * @param billingBackoffByProvider {@code auth.cooldowns.billingBackoffHoursByProvider}, keys as written, in order
 */
public record CooldownSettings(Duration failureWindow, Duration billingBackoff, Duration billingMax,
    Map<String, Duration> billingBackoffByProvider) {
  private static final double DEFAULT_FAILURE_WINDOW_HOURS = 24;
  private static final double DEFAULT_BILLING_BACKOFF_HOURS = 5;
  private static final double DEFAULT_BILLING_MAX_HOURS = 24;
  private static final long HOUR = 3_600_000L;

  /** The settings of a config without {@code auth.cooldowns}. */
  public static final CooldownSettings DEFAULTS = from(null);

  public CooldownSettings {
    billingBackoffByProvider = Collections.unmodifiableMap(new LinkedHashMap<>(billingBackoffByProvider));
  }

  /** Reads {@code settings}, the {@code auth.cooldowns} object (missing, null or not an object: all defaults). */
  public static CooldownSettings from(JsonNode settings) {
    JsonNode s = settings == null ? MissingNode.getInstance() : settings;
    Map<String, Duration> byProvider = new LinkedHashMap<>();
    for (var e : s.path("billingBackoffHoursByProvider").properties()) {
      if (e.getValue().isNumber()) {
        byProvider.putIfAbsent(e.getKey(), hoursToDuration(e.getValue().asDouble()));
      }
    }
    return new CooldownSettings(hours(s, "failureWindowHours", DEFAULT_FAILURE_WINDOW_HOURS),
        hours(s, "billingBackoffHours", DEFAULT_BILLING_BACKOFF_HOURS),
        hours(s, "billingMaxHours", DEFAULT_BILLING_MAX_HOURS), byProvider);
  }

  /** The first billing disable for {@code provider}: its own setting (the first that names it), else the common one. */
  public Duration billingBackoffFor(String provider) {
    for (Map.Entry<String, Duration> e : billingBackoffByProvider.entrySet()) {
      if (Providers.same(e.getKey(), provider)) {
        return e.getValue();
      }
    }
    return billingBackoff;
  }

  private static Duration hours(JsonNode settings, String key, double dflt) {
    JsonNode v = settings.path(key);
    return hoursToDuration(v.isNumber() && v.asDouble() > 0 ? v.asDouble() : dflt);
  }

  private static Duration hoursToDuration(double h) {
    return Duration.ofMillis((long) (h * HOUR));
  }
}
