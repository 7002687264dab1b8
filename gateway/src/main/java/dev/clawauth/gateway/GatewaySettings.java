package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.OwnSettings;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.StatePaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Function;

/**
 * How the gateway listens and what it tolerates: {@code port}, {@code bind} and
 * {@code customBindHost} (as OpenClaw writes them), {@code maxBodyBytes}, {@code gateway.readTimeoutMs},
 * {@code gateway.headTimeoutMs}, {@code maxConcurrentRequests}, {@code maxConnections},
 * {@code maxUnauthenticatedConnections}, {@code maxUnauthenticatedPerAddress},
 * {@code gateway.upstreamTimeoutMs}, {@code maxBufferedBodyBytes}, {@code shutdownGrace}, each from the {@code gateway} block of
 * clawauth.json, else of openclaw.json; command-line flags override them.
 *
 * <p>{@code headTimeout} and the two unauthenticated limits bound connections that have not yet
 * shown the gateway token (see {@link dev.clawauth.gateway.http.Admission}); 0 for either limit
 * means its default, a half and a quarter of {@code maxConnections}. {@code maxBufferedBodyBytes}
 * 0 stands for its default, {@link #DEFAULT_BUFFERED_BODIES} times {@code maxBodyBytes} (the config
 * key, when set, must be at least {@code maxBodyBytes}).
 */
public record GatewaySettings(String bind, String customBindHost, int port, boolean allowNonLoopback,
    long maxBodyBytes, Duration readTimeout, Duration headTimeout, int maxConcurrentRequests,
    Duration upstreamTimeout, Duration flushInterval, int maxConnections, int maxUnauthenticatedConnections,
    int maxUnauthenticatedPerAddress, long maxBufferedBodyBytes, Duration shutdownGrace) {

  public static final int DEFAULT_PORT = 18789;
  public static final long DEFAULT_MAX_BODY = 32L * 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  static final Duration MAX_SHUTDOWN_GRACE = Duration.ofHours(1);
  static final long MIN_HEAD_TIMEOUT_MS = 100;
  static final long MAX_HEAD_TIMEOUT_MS = 600_000;

  /** How many bodies of the largest size may be buffered at once by default. */
  public static final int DEFAULT_BUFFERED_BODIES = 8;

  public GatewaySettings {
    // Guards what the flags and tests give; the config's values are checked with their file and line first.
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not from 0 to 65535");
    }
    if (maxBodyBytes <= 0 || maxConcurrentRequests <= 0 || maxBufferedBodyBytes < 0
        || readTimeout.isNegative() || readTimeout.isZero() || upstreamTimeout.isNegative() || upstreamTimeout.isZero()
        || flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("gateway limits must be above 0: maxBodyBytes " + maxBodyBytes
          + ", readTimeout " + readTimeout + ", maxConcurrentRequests " + maxConcurrentRequests + ", upstreamTimeout "
          + upstreamTimeout + ", flushInterval " + flushInterval + ", maxBufferedBodyBytes " + maxBufferedBodyBytes);
    }
    long head = headTimeout.toMillis();
    if (head < MIN_HEAD_TIMEOUT_MS || head > MAX_HEAD_TIMEOUT_MS) {
      throw new IllegalArgumentException("gateway.headTimeoutMs must be between " + MIN_HEAD_TIMEOUT_MS + " and "
          + MAX_HEAD_TIMEOUT_MS + " (it is " + head + ")");
    }
    if (shutdownGrace.isNegative() || shutdownGrace.compareTo(MAX_SHUTDOWN_GRACE) > 0) {
      throw new IllegalArgumentException("gateway.shutdownGrace must be from 0 to 1h (it is " + shutdownGrace + ")");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("gateway.maxConnections must be at least 1 (it is " + maxConnections + ")");
    }
    if (maxUnauthenticatedConnections < 0 || maxUnauthenticatedConnections > maxConnections) {
      throw new IllegalArgumentException("gateway.maxUnauthenticatedConnections must be between 1 and maxConnections ("
          + maxConnections + "), or 0 for half of it (it is " + maxUnauthenticatedConnections + ")");
    }
    if (maxUnauthenticatedPerAddress < 0) {
      throw new IllegalArgumentException("gateway.maxUnauthenticatedPerAddress must be at least 1, or 0 for a quarter"
          + " of maxConnections (it is " + maxUnauthenticatedPerAddress + ")");
    }
    // Checked against the share it ends up in, which a default share only knows here.
    if (maxUnauthenticatedPerAddress > 0 && maxUnauthenticatedPerAddress > unauthenticatedShare(maxConnections,
        maxUnauthenticatedConnections)) {
      throw new IllegalArgumentException("gateway.maxUnauthenticatedPerAddress (" + maxUnauthenticatedPerAddress
          + ") must not exceed maxUnauthenticatedConnections (" + unauthenticatedShare(maxConnections,
          maxUnauthenticatedConnections) + ")");
    }
  }

  public static GatewaySettings defaults() {
    return new GatewaySettings("loopback", null, DEFAULT_PORT, false, DEFAULT_MAX_BODY,
        Duration.ofSeconds(30), DEFAULT_HEAD_TIMEOUT, 256, Duration.ofMinutes(10), Duration.ofSeconds(1),
        DEFAULT_MAX_CONNECTIONS, 0, 0, 0, DEFAULT_SHUTDOWN_GRACE);
  }

  private static int unauthenticatedShare(int maxConnections, int configured) {
    return configured > 0 ? configured : Math.max(1, maxConnections / 2);
  }

  /** The slots of connections without the token, defaults filled in. */
  public dev.clawauth.gateway.http.Admission.Limits admission() {
    int share = unauthenticatedShare(maxConnections, maxUnauthenticatedConnections);
    int perAddress = maxUnauthenticatedPerAddress > 0 ? maxUnauthenticatedPerAddress
        : Math.min(share, Math.max(1, maxConnections / 4));
    return new dev.clawauth.gateway.http.Admission.Limits(maxConnections, share, perAddress);
  }

  /**
   * The settings of openclaw.json's {@code gateway} block, overridden key by key by clawauth.json's.
   *
   * @throws IllegalArgumentException for a value of the wrong type or out of range, naming the key,
   *     the file and (when it can be found) the line and column
   */
  public static GatewaySettings load(StatePaths paths, ClawConfig config) throws IOException, JsonFileException {
    return fromConfig(config, ClawConfig.load(paths.stateDir().resolve(OwnSettings.FILE)));
  }

  static GatewaySettings fromConfig(ClawConfig openclaw, ClawConfig own) {
    GatewaySettings d = defaults();
    Keys g = new Keys(openclaw, own);
    long maxBody = g.number("maxBodyBytes", 1, Long.MAX_VALUE, d.maxBodyBytes(), "a whole number of bytes above 0");
    int maxConnections = (int) g.number("maxConnections", 1, Integer.MAX_VALUE, d.maxConnections(),
        "a whole number above 0");
    long buffered = g.number("maxBufferedBodyBytes", maxBody, Long.MAX_VALUE, 0,
        "a whole number of bytes, at least gateway.maxBodyBytes (" + maxBody + ")");
    int share = (int) g.number("maxUnauthenticatedConnections", 0, maxConnections, 0,
        "a whole number from 1 to gateway.maxConnections (" + maxConnections + "), or 0 for half of it");
    int shareSize = unauthenticatedShare(maxConnections, share);
    int perAddress = (int) g.number("maxUnauthenticatedPerAddress", 0, shareSize, 0,
        "a whole number from 1 to the unauthenticated share (" + shareSize + "), or 0 for a quarter of"
        + " gateway.maxConnections");
    return new GatewaySettings(
        g.text("bind", d.bind()),
        g.text("customBindHost", null),
        (int) g.number("port", 0, 65535, d.port(), "a whole number from 0 to 65535"),
        false,
        maxBody,
        Duration.ofMillis(g.number("readTimeoutMs", 1, Long.MAX_VALUE / 1_000_000, d.readTimeout().toMillis(),
            "a whole number of milliseconds above 0")),
        Duration.ofMillis(g.number("headTimeoutMs", MIN_HEAD_TIMEOUT_MS, MAX_HEAD_TIMEOUT_MS,
            d.headTimeout().toMillis(), "a whole number of milliseconds from " + MIN_HEAD_TIMEOUT_MS + " to "
            + MAX_HEAD_TIMEOUT_MS)),
        (int) g.number("maxConcurrentRequests", 1, Integer.MAX_VALUE, d.maxConcurrentRequests(),
            "a whole number above 0"),
        Duration.ofMillis(g.number("upstreamTimeoutMs", 1, Long.MAX_VALUE / 1_000_000, d.upstreamTimeout().toMillis(),
            "a whole number of milliseconds above 0")),
        d.flushInterval(),
        maxConnections,
        share,
        perAddress,
        buffered,
        g.duration("shutdownGrace", MAX_SHUTDOWN_GRACE, d.shutdownGrace(),
            "a duration from 0 to 1h such as \"10s\" or \"500ms\", or a whole number of milliseconds"));
  }

  /** How long a {@code /model} choice or profile pin is kept without use, by default. */
  public static final Duration DEFAULT_PIN_IDLE_TTL = Duration.ofDays(7);

  /**
   * {@code gateway.pinIdleTtl} ({@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}) of clawauth.json,
   * else of openclaw.json, else {@link #DEFAULT_PIN_IDLE_TTL}.
   *
   * @throws IllegalArgumentException for a value that is no duration, naming the file, line and column
   */
  public static Duration pinIdleTtl(StatePaths paths, ClawConfig config) throws IOException, JsonFileException {
    Keys g = new Keys(config, ClawConfig.load(paths.stateDir().resolve(OwnSettings.FILE)));
    String v = g.text("pinIdleTtl", null);
    if (v == null) {
      return DEFAULT_PIN_IDLE_TTL;
    }
    try {
      return Duration.ofMillis(dev.clawauth.hints.Durations.parse(v));
    } catch (IllegalArgumentException bad) {
      throw g.invalid("pinIdleTtl", "is not a duration such as 7d, 12h, 30m or 45s");
    }
  }

  /** The {@code gateway} keys of both files: clawauth.json's where it has the key, else openclaw.json's. */
  private record Keys(ClawConfig openclaw, ClawConfig own) {
    private ClawConfig from(String key) {
      return own.tree().path("gateway").has(key) ? own : openclaw;
    }

    private JsonNode get(String key) {
      return from(key).tree().path("gateway").path(key);
    }

    String text(String key, String otherwise) {
      JsonNode v = get(key);
      if (v.isMissingNode() || v.isNull()) {
        return otherwise;
      }
      if (!v.isTextual()) {
        throw invalid(key, "is " + kind(v) + ", not a string");
      }
      return v.asText();
    }

    long number(String key, long min, long max, long otherwise, String want) {
      JsonNode v = get(key);
      if (v.isMissingNode() || v.isNull()) {
        return otherwise;
      }
      if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
        throw invalid(key, "is " + kind(v) + ", not " + want);
      }
      long n = v.asLong();
      if (n < min || n > max) {
        throw invalid(key, "is " + n + ", not " + want);
      }
      return n;
    }

    /** A string with a unit ({@code "10s"}, {@code "500ms"}, {@code "2m"}), or a number of milliseconds. */
    Duration duration(String key, Duration max, Duration otherwise, String want) {
      JsonNode v = get(key);
      if (v.isMissingNode() || v.isNull()) {
        return otherwise;
      }
      Duration d;
      var m = DURATION.matcher(v.isTextual() ? v.asText().trim() : "");
      if (v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToLong() && v.asLong() >= 0) {
        d = Duration.ofMillis(v.asLong());
      } else if (v.isTextual() && m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        };
      } else {
        // A string is not quoted back: it may be anything.
        throw invalid(key, "is " + (v.isTextual() ? "a string that is not a duration" : kind(v)) + ", not " + want);
      }
      if (d.compareTo(max) > 0) {
        throw invalid(key, "is longer than 1h, not " + want);
      }
      return d;
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,9})\\s*(ms|s|m)");

    /** The error names the file, line and column, never the value of a string (it may be anything). */
    IllegalArgumentException invalid(String key, String problem) {
      ClawConfig file = from(key);
      String where = file.path() + file.position("gateway", key).map(p -> ":" + p).orElse("");
      return new IllegalArgumentException(where + ": gateway." + key + " " + problem
          + ". Fix it, or remove the key for its default; the gateway does not start until then.");
    }

    private static String kind(JsonNode v) {
      if (v.isTextual()) {
        return "a string";
      }
      if (v.isBoolean()) {
        return v.asText();
      }
      if (v.isNumber()) {
        return v.asText();
      }
      return v.isArray() ? "a list" : v.isObject() ? "an object" : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Request-body bytes buffered at once across all connections, at most. */
  public long bodyBudget() {
    if (maxBufferedBodyBytes > 0) {
      return maxBufferedBodyBytes;
    }
    return maxBodyBytes > Long.MAX_VALUE / DEFAULT_BUFFERED_BODIES ? Long.MAX_VALUE : maxBodyBytes * DEFAULT_BUFFERED_BODIES;
  }

  public GatewaySettings withPort(int p) {
    return new GatewaySettings(bind, customBindHost, p, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress, maxBufferedBodyBytes, shutdownGrace);
  }

  public GatewaySettings withBind(String b, boolean allow) {
    return new GatewaySettings(b, customBindHost, port, allow, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress, maxBufferedBodyBytes, shutdownGrace);
  }

  public GatewaySettings withLimits(long body, Duration read, int concurrent, Duration upstream) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, body, read, headTimeout, concurrent,
        upstream, flushInterval, maxConnections, maxUnauthenticatedConnections, maxUnauthenticatedPerAddress,
        maxBufferedBodyBytes, shutdownGrace);
  }

  /** How often recorded outcomes are written to the store. */
  public GatewaySettings withFlushInterval(Duration every) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, every, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress, maxBufferedBodyBytes, shutdownGrace);
  }

  /** How many client connections may be open at once; more get a 503 and are closed. */
  public GatewaySettings withMaxConnections(int n) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, n, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress, maxBufferedBodyBytes, shutdownGrace);
  }

  /**
   * The limits of connections without the token: their head deadline, their share of the slots
   * and its part for one address (0 for the defaults).
   */
  public GatewaySettings withUnauthenticated(Duration head, int share, int perAddress) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, head,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, share, perAddress,
        maxBufferedBodyBytes, shutdownGrace);
  }

  /** Request-body bytes held at once across all connections; more get a 503 until some are done. */
  public GatewaySettings withMaxBufferedBodyBytes(long n) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress, n, shutdownGrace);
  }

  /** How long a stop waits for requests in progress before it cuts them. */
  public GatewaySettings withShutdownGrace(Duration grace) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress, maxBufferedBodyBytes, grace);
  }

  /** The address to bind, after checking that a non-loopback one was explicitly allowed. */
  public InetAddress bindAddress() throws UnknownHostException {
    return listen().address();
  }

  /** {@link #bindAddress()} with a note for the operator when the bind mode could not be honoured. */
  public BindAddress listen() throws UnknownHostException {
    BindAddress b = BindAddress.resolve(bind, customBindHost);
    InetAddress a = b.address();
    if (!a.isLoopbackAddress() && !allowNonLoopback) {
      String shown = a.getHostAddress().equals(bind) ? bind : a.getHostAddress() + " (bind \"" + bind + "\")";
      throw new IllegalArgumentException("refusing to listen on " + shown + ": other machines could reach it;"
          + " pass --allow-non-loopback to expose the gateway, or --bind loopback");
    }
    return b;
  }
}
