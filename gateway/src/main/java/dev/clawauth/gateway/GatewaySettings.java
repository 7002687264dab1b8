package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.ClawConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How the gateway listens and what it tolerates. Defaults come from the config's {@code gateway}
 * block ({@code port}, {@code bind} and {@code customBindHost} as OpenClaw writes them, {@code maxBodyBytes}, {@code readTimeoutMs},
 * {@code maxConcurrentRequests}, {@code maxConnections}, {@code upstreamTimeoutMs}), command-line
 * flags override them.
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

  public static GatewaySettings fromConfig(ClawConfig config) {
    GatewaySettings d = defaults();
    JsonNode g = config.tree().path("gateway");
    return new GatewaySettings(
        g.path("bind").isTextual() ? g.path("bind").asText() : d.bind(),
        g.path("customBindHost").isTextual() ? g.path("customBindHost").asText() : null,
        g.path("port").isInt() ? g.path("port").asInt() : d.port(),
        false,
        g.path("maxBodyBytes").isNumber() ? g.path("maxBodyBytes").asLong() : d.maxBodyBytes(),
        g.path("readTimeoutMs").isNumber() ? Duration.ofMillis(g.path("readTimeoutMs").asLong()) : d.readTimeout(),
        g.path("maxConcurrentRequests").isInt() ? g.path("maxConcurrentRequests").asInt() : d.maxConcurrentRequests(),
        g.path("upstreamTimeoutMs").isNumber()
            ? Duration.ofMillis(g.path("upstreamTimeoutMs").asLong()) : d.upstreamTimeout(),
        d.flushInterval(),
        g.path("maxConnections").isInt() ? g.path("maxConnections").asInt() : d.maxConnections());
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
