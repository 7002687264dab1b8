package dev.clawauth.gateway.upstream;

import dev.clawauth.gateway.http.EventLoop;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A non-blocking HTTP/1.1 client for the upstream calls whose connections live on the caller's
 * {@link EventLoop}: a request and its answer cost no thread of their own, and on a kept-alive
 * plain connection one write and one read system call. Only {@code POST} with a byte body is
 * needed. TLS verifies the host name.
 *
 * <p>Connections are pooled per loop and endpoint, newest first. An idle one stays registered for
 * reading, so a server that closes it (or sends stray bytes) is noticed when it happens and the
 * connection dropped, where the blocking client had to probe before each reuse. A request is never
 * sent twice once any of it went out, because a POST to a model API is not idempotent; only a
 * pooled connection that fails before taking a byte is replaced.
 *
 * <p>Deadlines (connect, answer, a stalled body, idle connections) are checked by one timer per
 * loop that a connection moves only to make it earlier: a read pushes its own deadline by writing
 * a field, not by cancelling and scheduling a timer, so the hot path allocates no timer and the
 * loop's timer queue does not fill with cancelled ones.
 *
 * <p>This class is the API and what all loops share (the idle limits learned per endpoint); one
 * loop's connections are an {@link UpstreamPool}, a request an {@link UpstreamCall}, a connection
 * an {@link UpstreamConnection} that parses the answer with a {@link ResponseParser}.
 */
public final class LoopUpstreamClient implements AutoCloseable {
  /**
   * How long an idle connection is kept for an endpoint that has not said or shown otherwise: below
   * the 60 s of common load balancers, and long enough for an agent that thinks between calls to
   * skip a new TCP and TLS handshake.
   */
  static final long IDLE_MS = 30_000;
  /** The shortest idle limit learned from an endpoint. */
  static final long MIN_IDLE_MS = 1_000;
  /** How long a learned idle limit holds, so that one server restart does not shorten every later connection. */
  static final long LEARNED_FOR_MS = 600_000;

  /** What becomes of one request; every call comes on the loop that {@link #post} ran on. */
  public interface Listener {
    /** The status and headers (names lower case) of the final answer; 1xx answers are skipped. */
    void onHead(int status, Map<String, List<String>> headers);

    /** Body bytes, de-chunked; the buffer is valid only during the call (consume or copy). */
    void onBody(ByteBuffer data);

    /** The body is complete; the connection went back to the pool if it can be reused. */
    void onEnd();

    /** Exactly once instead of {@link #onEnd}, before or after {@link #onHead}. */
    void onError(IOException e);
  }

  /** A request in flight. Calls from another thread are handed to the loop. */
  public interface Exchange {
    /** Stops reading the answer (no {@link Listener#onBody} until {@link #resume}), for backpressure. */
    void pause();

    /** Reads on, on a later turn of the loop, delivering what is already buffered first. */
    void resume();

    /** Drops the request and closes its connection; the listener hears nothing more. */
    void cancel();
  }

  /**
   * The endpoint could not be reached at all (refused, unknown host, no route, connect timeout, TLS
   * not established). That is the endpoint's fault, not the credential's: every profile would meet
   * the same. The message is {@code host:port: reason}, shown after {@code scheme://}; for a URL
   * with no authority, what stands for its host and port, and the reason.
   */
  public static final class UnreachableException extends IOException {
    UnreachableException(String where, String why, Throwable cause) {
      super(where + ": " + why, cause);
    }
  }

  private record Learned(long limit, long at) {}

  final Duration connectTimeout;
  final LongSupplier clock;
  /** Asked at the first https connection: loading the default trust store costs 150-200 ms. */
  final Supplier<SSLContext> tls;
  final Executor resolver;
  /**
   * Per endpoint, how long a connection may idle: the server's {@code Keep-Alive: timeout} less a
   * second, or half the idle time after which the server closed one; else {@link #IDLE_MS}.
   */
  private final Map<String, Learned> idleLimits = new ConcurrentHashMap<>();
  private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
  volatile boolean closed;

  /**
   * {@code clock}: milliseconds, for idle ages (tests move it instead of waiting); {@code tls}: the
   * context for https, asked for at the first https connection; {@code resolver}: runs the
   * blocking DNS look-ups, off the loops.
   */
  public LoopUpstreamClient(Duration connectTimeout, LongSupplier clock, Supplier<SSLContext> tls,
      Executor resolver) {
    this.connectTimeout = connectTimeout;
    this.clock = clock;
    this.tls = tls;
    this.resolver = resolver;
  }

  /**
   * Starts a POST; loop thread only. The listener is called on {@code loop}, never from within
   * this call (an early failure arrives on a later turn).
   */
  public Exchange post(EventLoop loop, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
      Listener listener) {
    assert loop.inLoop();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    String host = uri.getHost();
    UpstreamCall p = new UpstreamCall(pool(loop), uri, host, port, secure, scheme + "://" + host + ":" + port,
        headers, body, Math.max(1, timeout.toNanos()), listener);
    p.inPost = true;
    try {
      if (closed) {
        p.error(new IOException("upstream client closed"));
      } else if (host == null || !(secure || scheme.equals("http")) || uri.getPort() > 65535) {
        // java.net.URI has no host for an underscore name or a missing scheme: the endpoint's fault,
        // like an unknown host, never the credential's.
        p.error(noHost(uri));
      } else {
        p.start();
      }
    } finally {
      p.inPost = false;
    }
    return p;
  }

  /**
   * Why {@code uri} cannot be connected to. It is named by what stands for its host and port only:
   * a base URL can carry a key in its user info, path or query.
   */
  private static UnreachableException noHost(URI uri) {
    String authority = uri.getRawAuthority();
    String shown = authority != null ? authority.substring(authority.lastIndexOf('@') + 1)
        : uri.getScheme() == null ? "" + uri.getRawPath() : uri.getScheme() + ":" + uri.getRawSchemeSpecificPart();
    String why = uri.getPort() > 65535 ? "the port is over 65535"
        : uri.getHost() != null ? "not an http:// or https:// URL"
        : authority != null ? "no host to connect to in the URL (a host name holds only letters, digits, '-' and '.')"
        : "no host to connect to in the URL (no http:// or https://)";
    // Whatever the URL's shape, nothing up to an '@' is shown: "user:key@host" without a scheme
    // parses as the scheme "user" and carries no authority for the branch above to cut.
    String where = shown.replaceAll("[/?#].*", "");
    return new UnreachableException(where.substring(where.lastIndexOf('@') + 1), why, null);
  }

  private UpstreamPool pool(EventLoop loop) {
    UpstreamPool p = pools.get(loop);
    if (p == null) {
      p = pools.computeIfAbsent(loop, l -> {
        UpstreamPool fresh = new UpstreamPool(this, l);
        l.onClose(() -> {
          pools.remove(l, fresh);
          fresh.closeAll();
        });
        return fresh;
      });
    }
    return p;
  }

  /** How long a connection to {@code key} (scheme://host:port) may idle before it is dropped. */
  long idleLimit(String key) {
    Learned l = idleLimits.get(key);
    return l == null || clock.getAsLong() - l.at() > LEARNED_FOR_MS ? IDLE_MS : l.limit();
  }

  void lowerIdleLimit(String key, long millis) {
    long now = clock.getAsLong();
    long limit = Math.min(IDLE_MS, Math.max(MIN_IDLE_MS, millis));
    idleLimits.merge(key, new Learned(limit, now), (old, fresh) ->
        now - old.at() > LEARNED_FOR_MS || fresh.limit() <= old.limit() ? fresh : new Learned(old.limit(), now));
  }

  /** Idle connections in the pools of all loops, for tests. */
  int idleConnections() {
    int n = 0;
    for (UpstreamPool p : pools.values()) {
      n += p.idleCount.get();
    }
    return n;
  }

  /** Closes every connection, on its loop; requests in flight end with an error. From any thread. */
  @Override
  public void close() {
    closed = true;
    for (UpstreamPool p : pools.values()) {
      p.loop.execute(p::closeAll);
    }
  }

  /** The {@code timeout} parameter of a {@code Keep-Alive} header, in seconds. */
  static Optional<Long> keepAliveTimeout(List<String> values) {
    if (values == null) {
      return Optional.empty();
    }
    for (String v : values) {
      for (String part : v.split(",", -1)) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("timeout")) {
          try {
            long t = Long.parseLong(kv[1].trim());
            if (t >= 0) {
              return Optional.of(t);
            }
          } catch (NumberFormatException ignored) {
            // not a number: no limit from this header
          }
        }
      }
    }
    return Optional.empty();
  }
}
