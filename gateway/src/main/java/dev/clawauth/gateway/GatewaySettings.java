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
 * {@code maxConcurrentRequests}, {@code maxConnections}, {@code upstreamTimeoutMs}, each from the
 * {@code gateway} block of clawauth.json, else of openclaw.json; command-line flags override them.
 */
public record GatewaySettings(String bind, String customBindHost, int port, boolean allowNonLoopback,
    long maxBodyBytes, Duration readTimeout, int maxConcurrentRequests, Duration upstreamTimeout,
    Duration flushInterval, int maxConnections) {

  public static final int DEFAULT_PORT = 18789;
  public static final long DEFAULT_MAX_BODY = 32L * 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  public static GatewaySettings defaults() {
    return new GatewaySettings("loopback", null, DEFAULT_PORT, false, DEFAULT_MAX_BODY,
        Duration.ofSeconds(30), 256, Duration.ofMinutes(10), Duration.ofSeconds(1), DEFAULT_MAX_CONNECTIONS);
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
        g.apply("maxConcurrentRequests").isInt() ? g.apply("maxConcurrentRequests").asInt() : d.maxConcurrentRequests(),
        g.apply("upstreamTimeoutMs").isNumber()
            ? Duration.ofMillis(g.apply("upstreamTimeoutMs").asLong()) : d.upstreamTimeout(),
        d.flushInterval(),
        g.apply("maxConnections").isInt() ? g.apply("maxConnections").asInt() : d.maxConnections());
  }

  public GatewaySettings withPort(int p) {
    return new GatewaySettings(bind, customBindHost, p, allowNonLoopback, maxBodyBytes, readTimeout,
        maxConcurrentRequests, upstreamTimeout, flushInterval, maxConnections);
  }

  public GatewaySettings withBind(String b, boolean allow) {
    return new GatewaySettings(b, customBindHost, port, allow, maxBodyBytes, readTimeout, maxConcurrentRequests,
        upstreamTimeout, flushInterval, maxConnections);
  }

  public GatewaySettings withLimits(long body, Duration read, int concurrent, Duration upstream) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, body, read, concurrent, upstream, flushInterval,
        maxConnections);
  }

  /** How often recorded outcomes are written to the store. */
  public GatewaySettings withFlushInterval(Duration every) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, maxConcurrentRequests,
        upstreamTimeout, every, maxConnections);
  }

  /** How many client connections may be open at once; more get a 503 and are closed. */
  public GatewaySettings withMaxConnections(int n) {
    return new GatewaySettings(bind, customBindHost, port, allowNonLoopback, maxBodyBytes, readTimeout, maxConcurrentRequests,
        upstreamTimeout, flushInterval, n);
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
