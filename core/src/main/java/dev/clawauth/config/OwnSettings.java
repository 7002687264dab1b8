package dev.clawauth.config;

import java.util.List;

/**
 * Clawauth's own settings file beside openclaw.json. OpenClaw validates openclaw.json strictly: a
 * key it does not know stops its gateway from starting, and {@code openclaw doctor --fix} deletes
 * it. Keys only Clawauth reads therefore live in {@code <state>/clawauth.json} (JSON5).
 */
public final class OwnSettings {
  public static final String FILE = "clawauth.json";

  /** The gateway keys Clawauth reads that OpenClaw's schema does not have. */
  public static final List<String> GATEWAY_ONLY_KEYS =
      List.of("maxBodyBytes", "readTimeoutMs", "maxConcurrentRequests", "maxConnections", "upstreamTimeoutMs",
          "maxBufferedBodyBytes");

  private OwnSettings() {}
}
