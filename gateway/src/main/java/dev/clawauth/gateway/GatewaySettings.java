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
 * {@code customBindHost} (as OpenClaw writes them), {@code maxBodyBytes}, {@code readTimeoutMs},
 * {@code headTimeoutMs}, {@code maxConcurrentRequests}, {@code maxConnections},
 * {@code maxUnauthenticatedConnections}, {@code maxUnauthenticatedPerAddress},
 * {@code upstreamTimeoutMs}, each from the {@code gateway} block of clawauth.json, else of
 * openclaw.json; command-line flags override them.
 *
 * <p>{@code headTimeout} and the two unauthenticated limits bound connections that have not yet
 * shown the gateway token (see {@link dev.clawauth.gateway.http.Admission}); 0 for either limit
 * means its default, a half and a quarter of {@code maxConnections}.
 */
public record GatewaySettings(String bind, String customBindHost, int port, boolean allowNonLoopback,
    long maxBodyBytes, Duration readTimeout, Duration headTimeout, int maxConcurrentRequests,
    Duration upstreamTimeout, Duration flushInterval, int maxConnections, int maxUnauthenticatedConnections,
    int maxUnauthenticatedPerAddress) {

  public static final int DEFAULT_PORT = 18789;
  public static final long DEFAULT_MAX_BODY = 32L * 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
  static final long MIN_HEAD_TIMEOUT_MS = 100;
  static final long MAX_HEAD_TIMEOUT_MS = 600_000;

  public GatewaySettings {
    long head = headTimeout.toMillis();
    if (head < MIN_HEAD_TIMEOUT_MS || head > MAX_HEAD_TIMEOUT_MS) {
      throw new IllegalArgumentException("gateway.headTimeoutMs must be between " + MIN_HEAD_TIMEOUT_MS + " and "
          + MAX_HEAD_TIMEOUT_MS + " (it is " + head + ")");
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
        DEFAULT_MAX_CONNECTIONS, 0, 0);
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

  /** The settings of openclaw.json's {@code gateway} block, overridden key by key by clawauth.json's. */
  public static GatewaySettings load(StatePaths paths, ClawConfig config) throws IOException, JsonFileException {
    return fromConfig(config, ClawConfig.load(paths.stateDir().resolve(OwnSettings.FILE)));
  }

  static GatewaySettings fromConfig(ClawConfig openclaw, ClawConfig own) {
    GatewaySettings d = defaults();
    JsonNode shared = openclaw.tree().path("gateway");
    JsonNode mine = own.tree().path("gateway");
    Function<String, JsonNode> g = key -> mine.has(key) ? mine.get(key) : shared.path(key);
    return new GatewaySettings(
        g.apply("bind").isTextual() ? g.apply("bind").asText() : d.bind(),
        g.apply("customBindHost").isTextual() ? g.apply("customBindHost").asText() : null,
        g.apply("port").isInt() ? g.apply("port").asInt() : d.port(),
        false,
        g.apply("maxBodyBytes").isNumber() ? g.apply("maxBodyBytes").asLong() : d.maxBodyBytes(),
        g.apply("readTimeoutMs").isNumber() ? Duration.ofMillis(g.apply("readTimeoutMs").asLong()) : d.readTimeout(),
        g.apply("headTimeoutMs").isNumber() ? Duration.ofMillis(g.apply("headTimeoutMs").asLong()) : d.headTimeout(),
        g.apply("maxConcurrentRequests").isInt() ? g.apply("maxConcurrentRequests").asInt() : d.maxConcurrentRequests(),
        g.apply("upstreamTimeoutMs").isNumber()
            ? Duration.ofMillis(g.apply("upstreamTimeoutMs").asLong()) : d.upstreamTimeout(),
        d.flushInterval(),
        g.apply("maxConnections").isInt() ? g.apply("maxConnections").asInt() : d.maxConnections(),
        g.apply("maxUnauthenticatedConnections").isInt() ? g.apply("maxUnauthenticatedConnections").asInt()
            : d.maxUnauthenticatedConnections(),
        g.apply("maxUnauthenticatedPerAddress").isInt() ? g.apply("maxUnauthenticatedPerAddress").asInt()
            : d.maxUnauthenticatedPerAddress());
  }

  public GatewaySettings withPort(int p) {
    return new GatewaySettings(bind, customBindHost, p, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress);
  }

  public GatewaySettings withBind(String b, boolean allow) {
    return new GatewaySettings(b, customBindHost, port, allow, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress);
  }

  public GatewaySettings withLimits(long body, Duration read, int concurrent, Duration upstream) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, body, read, headTimeout, concurrent,
        upstream, flushInterval, maxConnections, maxUnauthenticatedConnections, maxUnauthenticatedPerAddress);
  }

  /** How often recorded outcomes are written to the store. */
  public GatewaySettings withFlushInterval(Duration every) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, every, maxConnections, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress);
  }

  /** How many client connections may be open at once; more get a 503 and are closed. */
  public GatewaySettings withMaxConnections(int n) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, headTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, n, maxUnauthenticatedConnections,
        maxUnauthenticatedPerAddress);
  }

  /**
   * The limits of connections without the token: their head deadline, their share of the slots
   * and its part for one address (0 for the defaults).
   */
  public GatewaySettings withUnauthenticated(Duration head, int share, int perAddress) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, head,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections, share, perAddress);
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
