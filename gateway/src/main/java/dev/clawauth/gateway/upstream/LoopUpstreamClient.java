package dev.clawauth.gateway.upstream;

import dev.clawauth.gateway.http.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
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
  private static final int MAX_LINE = 65536;
  private static final int MAX_HEADER_BYTES = 256 * 1024;
  /** Sweeps of one loop's deadlines are at least this far apart: a timeout fires up to this late. */
  static final long SWEEP_MS = 100;
  private static final int BUFFER = 16384;
  private static final long NEVER = Long.MAX_VALUE;
  private static final long EXPIRED = Long.MIN_VALUE;
  private static final byte[] HTTP_1 = "HTTP/1.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

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
   * the same. The message is {@code host:port: reason}, shown after {@code scheme://}.
   */
  public static final class UnreachableException extends IOException {
    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Learned(long limit, long at) {}

  private enum State { RESOLVING, CONNECTING, HANDSHAKING, ACTIVE, IDLE, CLOSED }

  private enum Phase { STATUS, HEADERS, LENGTH, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE }

  private final Duration connectTimeout;
  private final LongSupplier clock;
  private final SSLContext tls;
  private final Executor resolver;
  /**
   * Per endpoint, how long a connection may idle: the server's {@code Keep-Alive: timeout} less a
   * second, or half the idle time after which the server closed one; else {@link #IDLE_MS}.
   */
  private final Map<String, Learned> idleLimits = new ConcurrentHashMap<>();
  private final Map<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * {@code clock}: milliseconds, for idle ages (tests move it instead of waiting); {@code tls}: the
   * context for https; {@code resolver}: runs the blocking DNS look-ups, off the loops.
   */
  public LoopUpstreamClient(Duration connectTimeout, LongSupplier clock, SSLContext tls, Executor resolver) {
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
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    String host = uri.getHost();
    Post p = new Post(pool(loop), uri, host, port, secure, scheme + "://" + host + ":" + port, headers, body,
        Math.max(1, timeout.toNanos()), listener);
    p.inPost = true;
    try {
      if (closed) {
        p.error(new IOException("upstream client closed"));
      } else {
        p.start();
      }
    } finally {
      p.inPost = false;
    }
    return p;
  }

  private LoopPool pool(EventLoop loop) {
    LoopPool p = pools.get(loop);
    if (p == null) {
      p = pools.computeIfAbsent(loop, l -> {
        LoopPool fresh = new LoopPool(l);
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

  private void lowerIdleLimit(String key, long millis) {
    long now = clock.getAsLong();
    long limit = Math.min(IDLE_MS, Math.max(MIN_IDLE_MS, millis));
    idleLimits.merge(key, new Learned(limit, now), (old, fresh) ->
        now - old.at() > LEARNED_FOR_MS || fresh.limit() <= old.limit() ? fresh : new Learned(old.limit(), now));
  }

  /** Idle connections in the pools of all loops, for tests. */
  int idleConnections() {
    int n = 0;
    for (LoopPool p : pools.values()) {
      n += p.idleCount;
    }
    return n;
  }

  /** Closes every connection, on its loop; requests in flight end with an error. From any thread. */
  @Override
  public void close() {
    closed = true;
    for (LoopPool p : pools.values()) {
      p.loop.execute(p::closeAll);
    }
  }

  /** The {@code timeout} parameter of a {@code Keep-Alive} header, in seconds. */
  static Optional<Long> keepAliveTimeout(List<String> values) {
    if (values == null) {
      return Optional.empty();
    }
    for (String v : values) {
      for (String part : v.split(",")) {
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

  /** Why a connect failed for want of a reachable endpoint, or null when it failed some other way. */
  private static String unreachable(Throwable e) {
    if (e instanceof UnknownHostException || e instanceof java.nio.channels.UnresolvedAddressException) {
      return "unknown host";
    }
    if (e instanceof java.net.ConnectException || e instanceof java.net.NoRouteToHostException
        || e instanceof javax.net.ssl.SSLException) {
      String m = e.getMessage();
      return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /** A dotted IPv4 or bracketed IPv6 literal: an address that needs no look-up. */
  static boolean isAddressLiteral(String host) {
    if (host.startsWith("[") || host.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9' && ++digits <= 3) {
        continue;
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  private static boolean hasToken(List<String> values, String token) {
    if (values == null) {
      return false;
    }
    for (String v : values) {
      for (String t : v.split(",")) {
        if (t.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** RFC 9112: repeated equal values are one length; differing or non-numeric ones are an error. */
  private static long contentLength(List<String> values) throws IOException {
    long len = -1;
    for (String v : values) {
      for (String part : v.split(",")) {
        long n;
        try {
          n = Long.parseLong(part.trim());
        } catch (NumberFormatException e) {
          throw new IOException("bad content-length from upstream: " + part.trim());
        }
        if (n < 0 || (len >= 0 && n != len)) {
          throw new IOException("bad content-length from upstream: " + v);
        }
        len = n;
      }
    }
    return len;
  }

  /** One loop's connections: the idle ones by endpoint, and all of them for the deadline sweep. */
  private final class LoopPool {
    final EventLoop loop;
    final Map<String, ArrayDeque<Conn>> idle = new HashMap<>();
    final ArrayList<Conn> all = new ArrayList<>();
    final Runnable sweepTask = this::sweep;
    volatile int idleCount;
    EventLoop.Timer timer;
    long timerAt = NEVER;
    long lastSweep = System.nanoTime();
    boolean shut;

    LoopPool(EventLoop loop) {
      this.loop = loop;
    }

    /** The newest idle connection to {@code key} still within its idle limit, taken out of the pool. */
    Conn take(String key) {
      ArrayDeque<Conn> q = idle.get(key);
      if (q == null) {
        return null;
      }
      long now = clock.getAsLong();
      long limit = idleLimit(key);
      for (Conn c; (c = q.pollFirst()) != null;) {
        idleCount--;
        c.state = State.ACTIVE;
        if (now - c.idleSince < limit && c.channelOpen()) {
          return c;
        }
        c.close();
      }
      return null;
    }

    void putIdle(Conn c) {
      idle.computeIfAbsent(c.key, k -> new ArrayDeque<>()).addFirst(c);
      idleCount++;
      due(System.nanoTime() + idleLimit(c.key) * 1_000_000L);
    }

    void removeIdle(Conn c) {
      ArrayDeque<Conn> q = idle.get(c.key);
      if (q != null && q.remove(c)) {
        idleCount--;
      }
    }

    /** Makes sure the sweep runs by {@code at} (nanoTime), but not sooner than {@link #SWEEP_MS} after the last. */
    void due(long at) {
      at = Math.max(at, lastSweep + SWEEP_MS * 1_000_000L);
      if (at >= timerAt || shut) {
        return;
      }
      if (timer != null) {
        timer.cancel();
      }
      timerAt = at;
      timer = loop.schedule(Math.max(1, (at - System.nanoTime() + 999_999) / 1_000_000), sweepTask);
    }

    void sweep() {
      timer = null;
      timerAt = NEVER;
      long now = System.nanoTime();
      lastSweep = now;
      long next = NEVER;
      List<Conn> expired = null;
      for (Conn c : all) {
        long at = c.due(now);
        if (at == EXPIRED) {
          if (expired == null) {
            expired = new ArrayList<>();
          }
          expired.add(c);
        } else {
          next = Math.min(next, at);
        }
      }
      if (expired != null) {
        // Failing calls the listeners, which may open or close connections: not while iterating.
        expired.forEach(Conn::expire);
      }
      if (next != NEVER) {
        due(next);
      }
    }

    void closeAll() {
      shut = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      for (Conn c : new ArrayList<>(all)) {
        Post p = c.post;
        c.close();
        if (p != null) {
          p.error(new IOException("upstream client closed"));
        }
      }
    }
  }

  /** One POST: its request, its listener, and the connection carrying it. */
  private final class Post implements Exchange {
    final LoopPool pool;
    final URI uri;
    final String host;
    final int port;
    final boolean secure;
    final String key;
    final Map<String, String> headers;
    final byte[] body;
    final long timeoutNanos;
    final Listener listener;
    Conn conn;
    /** onEnd or onError was called, or is on its way, or the post was cancelled. */
    boolean over;
    boolean cancelled;
    boolean paused;
    boolean wantResume;
    boolean resumeQueued;
    boolean inPost;

    Post(LoopPool pool, URI uri, String host, int port, boolean secure, String key, Map<String, String> headers,
        byte[] body, long timeoutNanos, Listener listener) {
      this.pool = pool;
      this.uri = uri;
      this.host = host;
      this.port = port;
      this.secure = secure;
      this.key = key;
      this.headers = headers;
      this.body = body;
      this.timeoutNanos = timeoutNanos;
      this.listener = listener;
    }

    /** Sends on the newest pooled connection, or on a new one if none is fit. */
    void start() {
      while (true) {
        Conn c = pool.take(key);
        if (c == null) {
          open();
          return;
        }
        try {
          c.send(this);
          return;
        } catch (IOException | RuntimeException e) {
          boolean untouched = c.written == 0;
          c.close();
          conn = null;
          if (!untouched) {
            error(e instanceof IOException io ? io : new IOException(e));
            return;
          }
          // It died idle before taking a byte of this request: another connection may carry it.
        }
      }
    }

    private void open() {
      Conn c = new Conn(pool, key, host, port, secure);
      c.post = this;
      conn = c;
      c.deadline = System.nanoTime() + connectTimeout.toNanos();
      pool.all.add(c);
      pool.due(c.deadline);
      try {
        if (isAddressLiteral(host)) {
          c.connect(InetAddress.getByName(host));
        } else {
          resolver.execute(() -> {
            InetAddress a = null;
            Exception failure = null;
            try {
              a = InetAddress.getByName(host);
            } catch (UnknownHostException | RuntimeException e) {
              failure = e;
            }
            InetAddress address = a;
            Exception why = failure;
            pool.loop.execute(() -> c.resolved(address, why));
          });
        }
      } catch (IOException | RuntimeException e) {
        c.fail(e instanceof RejectedExecutionException ? new IOException("no resolver for " + host, e) : e);
      }
    }

    void head(int status, Map<String, List<String>> h) {
      listener.onHead(status, h);
    }

    void data(ByteBuffer b) {
      listener.onBody(b);
    }

    void end() {
      over = true;
      conn = null;
      try {
        listener.onEnd();
      } catch (RuntimeException e) {
        // The request is done and its connection pooled: the listener's fault is only logged.
        pool.loop.execute(() -> {
          throw e;
        });
      }
    }

    void error(IOException e) {
      if (over) {
        return;
      }
      over = true;
      conn = null;
      if (inPost) {
        pool.loop.execute(() -> {
          if (!cancelled) {
            listener.onError(e);
          }
        });
        return;
      }
      listener.onError(e);
    }

    @Override
    public void pause() {
      if (!pool.loop.inLoop()) {
        pool.loop.execute(this::pause);
        return;
      }
      if (over) {
        return;
      }
      paused = true;
      wantResume = false;
      if (conn != null) {
        conn.updateOps();
      }
    }

    @Override
    public void resume() {
      if (!pool.loop.inLoop()) {
        pool.loop.execute(this::resume);
        return;
      }
      if (over || !paused) {
        return;
      }
      wantResume = true;
      if (!resumeQueued) {
        resumeQueued = true;
        pool.loop.execute(this::resumeNow);
      }
    }

    private void resumeNow() {
      resumeQueued = false;
      if (over || !wantResume) {
        return;
      }
      wantResume = false;
      paused = false;
      if (conn != null) {
        conn.resumed(this);
      }
    }

    @Override
    public void cancel() {
      if (!pool.loop.inLoop()) {
        pool.loop.execute(this::cancel);
        return;
      }
      cancelled = true;
      if (over) {
        return;
      }
      over = true;
      Conn c = conn;
      conn = null;
      if (c != null) {
        c.close();
      }
    }
  }

  /**
   * One connection: its socket, a request buffer and a response buffer reused for every request it
   * carries, and the incremental parser of the answer.
   */
  private final class Conn implements EventLoop.Io {
    final LoopPool pool;
    final String key;
    final String host;
    final int port;
    final boolean secure;
    State state = State.RESOLVING;
    java.nio.channels.SocketChannel channel;
    java.nio.channels.SelectionKey selectionKey;
    UpstreamTransport transport;
    int ops;
    Post post;
    /** nanoTime by which the connect, or the next byte of the exchange, is due. */
    long deadline;
    long idleSince;
    // The request: head (and a small body) in out, a large body gathered from the caller's array.
    ByteBuffer out = ByteBuffer.allocate(BUFFER);
    final ByteBuffer[] srcs = new ByteBuffer[2];
    int nsrcs;
    boolean writing;
    long written;
    // The answer: bytes [rpos, wpos) of buf are received and not yet parsed.
    byte[] buf = new byte[BUFFER];
    ByteBuffer in = ByteBuffer.wrap(buf);
    int rpos;
    int wpos;
    int scanFrom;
    Phase phase = Phase.STATUS;
    int status;
    Map<String, List<String>> headers;
    List<String> lastHeader;
    int headerBytes;
    boolean keepAlive;
    long remaining;

    Conn(LoopPool pool, String key, String host, int port, boolean secure) {
      this.pool = pool;
      this.key = key;
      this.host = host;
      this.port = port;
      this.secure = secure;
    }

    boolean channelOpen() {
      return channel != null && channel.isOpen() && selectionKey.isValid();
    }

    void resolved(InetAddress address, Exception failure) {
      if (state != State.RESOLVING) {
        return;
      }
      try {
        if (failure != null) {
          throw failure;
        }
        connect(address);
      } catch (Exception e) {
        fail(e);
      }
    }

    void connect(InetAddress address) throws IOException {
      state = State.CONNECTING;
      channel = java.nio.channels.SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      boolean now = channel.connect(new java.net.InetSocketAddress(address, port));
      ops = now ? 0 : java.nio.channels.SelectionKey.OP_CONNECT;
      selectionKey = pool.loop.register(channel, ops, this);
      if (now) {
        connected();
      }
    }

    private void connected() throws IOException {
      if (secure) {
        String peer = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        transport = TlsChannel.client(channel, tls, peer, port, isAddressLiteral(host));
        state = State.HANDSHAKING;
        handshake();
      } else {
        transport = new UpstreamTransport.Plain(channel);
        established();
      }
    }

    private void handshake() throws IOException {
      if (transport.handshake()) {
        established();
      } else {
        setOps(transport.handshakeWaitsFor());
      }
    }

    private void established() throws IOException {
      state = State.ACTIVE;
      Post p = post;
      if (p != null) {
        send(p);
      }
    }

    /** Starts {@code p}'s request on this (connected, unused) connection. */
    void send(Post p) throws IOException {
      state = State.ACTIVE;
      post = p;
      p.conn = this;
      written = 0;
      phase = Phase.STATUS;
      headers = null;
      lastHeader = null;
      headerBytes = 0;
      encode(p);
      writing = true;
      deadline = System.nanoTime() + p.timeoutNanos;
      pool.due(deadline);
      flush();
      updateOps();
    }

    @Override
    public void ready(java.nio.channels.SelectionKey key) {
      try {
        switch (state) {
          case CONNECTING -> {
            if (channel.finishConnect()) {
              connected();
            }
          }
          case HANDSHAKING -> handshake();
          case IDLE -> idleReadable();
          case ACTIVE -> {
            int r = key.readyOps();
            if ((r & java.nio.channels.SelectionKey.OP_WRITE) != 0) {
              flush();
            }
            if (state == State.ACTIVE && (r & java.nio.channels.SelectionKey.OP_READ) != 0) {
              readable();
            }
            if (state == State.ACTIVE) {
              updateOps();
            }
          }
          default -> {
            // closed: a stale readiness
          }
        }
      } catch (Exception e) {
        fail(e);
      }
    }

    @Override
    public void failed(Throwable t) {
      fail(t);
    }

    /** Closes the connection and tells its request, the error classified by how far it got. */
    void fail(Throwable e) {
      Post p = post;
      State was = state;
      post = null;
      close();
      if (p == null) {
        return;
      }
      IOException io;
      String why = was == State.ACTIVE ? null : unreachable(e);
      if (why != null) {
        io = new UnreachableException(host + ":" + port + ": " + why, e);
      } else if (e instanceof IOException x) {
        io = x;
      } else {
        io = new IOException("bad response from upstream: " + e.getMessage(), e);
      }
      p.error(io);
    }

    /** When the sweep should next look at this connection (nanoTime), or {@link #EXPIRED}. */
    long due(long now) {
      switch (state) {
        case RESOLVING, CONNECTING, HANDSHAKING, ACTIVE -> {
          if (state == State.ACTIVE && (post == null || post.paused)) {
            return NEVER;
          }
          return deadline - now <= 0 ? EXPIRED : deadline;
        }
        case IDLE -> {
          long left = idleLimit(key) - (clock.getAsLong() - idleSince);
          return left <= 0 ? EXPIRED : now + left * 1_000_000L;
        }
        default -> {
          return NEVER;
        }
      }
    }

    void expire() {
      switch (state) {
        case IDLE -> close();
        case ACTIVE -> fail(new SocketTimeoutException("no answer from upstream within "
            + (post == null ? 0 : post.timeoutNanos / 1_000_000) + " ms"));
        case RESOLVING, CONNECTING, HANDSHAKING -> {
          Post p = post;
          post = null;
          close();
          if (p != null) {
            p.error(new UnreachableException(host + ":" + port + ": connect timed out after "
                + connectTimeout.toMillis() + " ms", null));
          }
        }
        default -> {
          // closed meanwhile
        }
      }
    }

    void close() {
      if (state == State.CLOSED) {
        return;
      }
      if (state == State.IDLE) {
        pool.removeIdle(this);
      }
      state = State.CLOSED;
      pool.all.remove(this);
      if (post != null) {
        post.conn = null;
        post = null;
      }
      if (transport != null) {
        transport.close();
      } else if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }

    void setOps(int wanted) {
      if (wanted != ops) {
        ops = wanted;
        selectionKey.interestOps(wanted);
      }
    }

    /** Reads unless paused; writes while the request (or TLS) has bytes waiting. */
    void updateOps() {
      if (state != State.ACTIVE || selectionKey == null) {
        return;
      }
      int wanted = post != null && post.paused ? 0 : java.nio.channels.SelectionKey.OP_READ;
      if (writing || !transport.flushed()) {
        wanted |= java.nio.channels.SelectionKey.OP_WRITE;
      }
      setOps(wanted);
    }

    private void encode(Post p) {
      ByteBuffer b = out.clear();
      URI uri = p.uri;
      put("POST ");
      String path = uri.getRawPath();
      put(path == null || path.isEmpty() ? "/" : path);
      if (uri.getRawQuery() != null) {
        put("?");
        put(uri.getRawQuery());
      }
      put(" HTTP/1.1\r\nHost: ");
      put(p.host);
      if (p.port != (p.secure ? 443 : 80)) {
        put(":");
        putInt(p.port);
      }
      put("\r\n");
      for (Map.Entry<String, String> e : p.headers.entrySet()) {
        String n = e.getKey();
        String v = e.getValue();
        // The client sets these itself; a header with CR/LF would split the request.
        if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0 && n.indexOf(':') < 0 && n.indexOf('\r') < 0
            && n.indexOf('\n') < 0 && !n.equalsIgnoreCase("host") && !n.equalsIgnoreCase("content-length")
            && !n.equalsIgnoreCase("transfer-encoding") && !n.equalsIgnoreCase("connection")) {
          put(n);
          put(": ");
          put(v);
          put("\r\n");
        }
      }
      put("content-length: ");
      putInt(p.body.length);
      put("\r\n\r\n");
      b = out;
      if (p.body.length <= b.remaining()) {
        // The usual small request leaves in one segment.
        b.put(p.body);
        nsrcs = 1;
      } else {
        srcs[1] = ByteBuffer.wrap(p.body);
        nsrcs = 2;
      }
      srcs[0] = b.flip();
    }

    /** Appends {@code s}: ASCII byte by byte, anything else as UTF-8. */
    private void put(String s) {
      int n = s.length();
      ensure(n);
      int start = out.position();
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          out.position(start);
          byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ensure(utf8.length);
          out.put(utf8);
          return;
        }
        out.put((byte) c);
      }
    }

    private void putInt(int v) {
      ensure(10);
      int start = out.position();
      do {
        out.put((byte) ('0' + v % 10));
        v /= 10;
      } while (v > 0);
      for (int i = start, j = out.position() - 1; i < j; i++, j--) {
        byte t = out.get(i);
        out.put(i, out.get(j));
        out.put(j, t);
      }
    }

    private void ensure(int n) {
      if (out.remaining() < n) {
        out = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + n)).put(out.flip());
      }
    }

    /** Writes what the socket takes now. */
    void flush() throws IOException {
      if (!writing && transport.flushed()) {
        return;
      }
      long n = transport.write(srcs, 0, writing ? nsrcs : 0);
      if (n > 0 && post != null) {
        written += n;
        deadline = System.nanoTime() + post.timeoutNanos;
      }
      if (writing && !srcs[nsrcs - 1].hasRemaining() && !srcs[0].hasRemaining()) {
        writing = false;
        srcs[1] = null;
      }
    }

    /** Reads and parses until the socket has nothing more, the request is paused, or it ended. */
    private void readable() throws IOException {
      Post p = post;
      while (post == p && p != null && !p.paused) {
        if (rpos == wpos) {
          rpos = 0;
          wpos = 0;
          scanFrom = 0;
        } else if (buf.length - wpos < 1024) {
          makeRoom();
        }
        int space = buf.length - wpos;
        in.limit(buf.length).position(wpos);
        int n = transport.read(in);
        if (n < 0) {
          endOfStream();
          return;
        }
        if (n == 0) {
          return;
        }
        wpos += n;
        deadline = System.nanoTime() + p.timeoutNanos;
        parse();
        if (n < space && !transport.hasBuffered()) {
          // The socket had less than a buffer: it is drained, and the next read would find nothing.
          return;
        }
      }
    }

    private void makeRoom() {
      if (rpos > 0) {
        System.arraycopy(buf, rpos, buf, 0, wpos - rpos);
        wpos -= rpos;
        scanFrom -= rpos;
        rpos = 0;
      }
      if (buf.length - wpos < 1024) {
        // Only a header or chunk-size line can fill the buffer unparsed; MAX_LINE bounds it.
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        in = ByteBuffer.wrap(buf);
      }
    }

    /** The connection ended while this request was reading it. */
    private void endOfStream() throws IOException {
      switch (phase) {
        case UNTIL_CLOSE -> {
          keepAlive = false;
          phase = Phase.DONE;
          parse();
        }
        case STATUS -> throw new java.io.EOFException(rpos == wpos && headers == null
            ? "upstream closed the connection before answering"
            : "upstream closed the connection in the middle of a line");
        case HEADERS -> throw new java.io.EOFException("upstream closed the connection in the middle of the head");
        case LENGTH -> throw new java.io.EOFException("upstream closed the connection " + remaining
            + " bytes before the end");
        case CHUNK_DATA -> throw new java.io.EOFException("upstream closed the connection mid-chunk");
        default -> throw new java.io.EOFException("upstream closed the connection mid-body");
      }
    }

    /**
     * Parses what has arrived. Body bytes are gathered into one run at the front of what was parsed
     * (chunk framing squeezed out in place) and handed over in one call, so a read of many small
     * chunks (a stream of events) costs one {@link Listener#onBody}.
     */
    private void parse() throws IOException {
      Post p = post;
      int dataStart = -1;
      int dataEnd = -1;
      IOException broken = null;
      parsing:
      while (post == p && !p.paused) {
        switch (phase) {
          case LENGTH, UNTIL_CLOSE, CHUNK_DATA -> {
            int n = wpos - rpos;
            if (n == 0) {
              break parsing;
            }
            if (phase != Phase.UNTIL_CLOSE) {
              n = (int) Math.min(n, remaining);
            }
            if (dataStart < 0) {
              dataStart = rpos;
              dataEnd = rpos;
            }
            if (dataEnd != rpos) {
              System.arraycopy(buf, rpos, buf, dataEnd, n);
            }
            dataEnd += n;
            rpos += n;
            if (phase != Phase.UNTIL_CLOSE) {
              remaining -= n;
              if (remaining == 0) {
                phase = phase == Phase.LENGTH ? Phase.DONE : Phase.CHUNK_END;
              }
            }
          }
          case DONE -> {
            if (dataStart >= 0) {
              break parsing;
            }
            complete();
            return;
          }
          default -> {
            try {
              int nl = indexOfNewline();
              if (nl < 0) {
                if (wpos - rpos > MAX_LINE) {
                  throw new IOException("upstream header line too long");
                }
                break parsing;
              }
              int start = rpos;
              int end = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
              rpos = nl + 1;
              scanFrom = rpos;
              line(start, end);
            } catch (IOException e) {
              if (dataStart < 0) {
                throw e;
              }
              // What arrived before the fault is the listener's before it hears of the fault.
              broken = e;
              break parsing;
            }
          }
        }
      }
      if (dataStart >= 0 && post == p) {
        in.limit(dataEnd).position(dataStart);
        p.data(in);
        if (broken != null) {
          throw broken;
        }
        if (post == p && !p.paused && phase == Phase.DONE) {
          complete();
        }
      }
    }

    private int indexOfNewline() {
      for (int i = Math.max(scanFrom, rpos); i < wpos; i++) {
        if (buf[i] == '\n') {
          return i;
        }
      }
      scanFrom = wpos;
      return -1;
    }

    private void line(int start, int end) throws IOException {
      switch (phase) {
        case STATUS -> statusLine(start, end);
        case HEADERS -> {
          if (end == start) {
            endOfHead();
          } else {
            header(start, end);
          }
        }
        case CHUNK_SIZE -> chunkSize(start, end);
        case CHUNK_END -> {
          if (end != start) {
            throw new IOException("chunk not followed by CRLF");
          }
          phase = Phase.CHUNK_SIZE;
        }
        case TRAILERS -> {
          // Trailers are dropped; the head's limit bounds them too.
          headerBytes += end - start;
          if (headerBytes > MAX_HEADER_BYTES) {
            throw new IOException("upstream response trailers too large");
          }
          if (end == start) {
            phase = Phase.DONE;
          }
        }
        default -> throw new IllegalStateException("no line expected in " + phase);
      }
    }

    /** Parsed from the bytes: only the answer's own objects are allocated on the way. */
    private void statusLine(int start, int end) throws IOException {
      int sp = start + 8;
      boolean http1 = end - start >= 12 && buf[sp] == ' '
          && java.util.Arrays.equals(buf, start, start + 7, HTTP_1, 0, 7);
      int next = sp + 4;
      if (!http1 || (next < end && buf[next] != ' ')) {
        String line = text(start, end);
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
          throw new IOException("not an HTTP/1.x response: " + (line.length() > 60 ? line.substring(0, 60) : line));
        }
        throw new IOException("bad status code from upstream: " + parts[1]);
      }
      int code = 0;
      for (int i = sp + 1; i < next; i++) {
        int d = buf[i] - '0';
        if (d < 0 || d > 9) {
          throw new IOException("bad status code from upstream: " + text(sp + 1, next));
        }
        code = code * 10 + d;
      }
      status = code;
      keepAlive = buf[start + 7] == '1';
      headers = new java.util.LinkedHashMap<>();
      lastHeader = null;
      headerBytes = 0;
      phase = Phase.HEADERS;
    }

    private String text(int start, int end) {
      return new String(buf, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A header field, its name lower-cased; obsolete line folding is joined with a space. */
    private void header(int start, int end) throws IOException {
      headerBytes += end - start;
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new IOException("upstream response headers too large");
      }
      if ((buf[start] == ' ' || buf[start] == '\t') && lastHeader != null) {
        int i = lastHeader.size() - 1;
        lastHeader.set(i, (lastHeader.get(i) + " " + text(start, end).strip()).strip());
        return;
      }
      int colon = start;
      while (colon < end && buf[colon] != ':') {
        colon++;
      }
      if (colon == start || colon == end) {
        return;
      }
      int ns = start;
      int ne = colon;
      while (ns < ne && buf[ns] <= ' ') {
        ns++;
      }
      while (ne > ns && buf[ne - 1] <= ' ') {
        ne--;
      }
      // Lower-cased in place: the buffer is ours, and the name then costs one string.
      for (int i = ns; i < ne; i++) {
        byte b = buf[i];
        if (b >= 'A' && b <= 'Z') {
          buf[i] = (byte) (b + 32);
        }
      }
      int vs = colon + 1;
      int ve = end;
      while (vs < ve && buf[vs] <= ' ') {
        vs++;
      }
      while (ve > vs && buf[ve - 1] <= ' ') {
        ve--;
      }
      lastHeader = headers.computeIfAbsent(text(ns, ne), k -> new ArrayList<>(1));
      lastHeader.add(text(vs, ve));
    }

    private void endOfHead() throws IOException {
      if (status >= 100 && status < 200) {
        // 100 Continue, 103 Early Hints...: informational, the real answer follows.
        phase = Phase.STATUS;
        headers = null;
        return;
      }
      Map<String, List<String>> h = headers;
      keepAlive = keepAlive && !hasToken(h.get("connection"), "close");
      keepAliveTimeout(h.get("keep-alive")).ifPresent(t -> lowerIdleLimit(key, t * 1000 - 1000));
      List<String> te = h.get("transfer-encoding");
      if (status == 204 || status == 304) {
        phase = Phase.DONE;
      } else if (te != null && hasToken(te, "chunked")) {
        phase = Phase.CHUNK_SIZE;
      } else if (te != null) {
        // Another transfer coding without chunked: the body ends when the connection does.
        phase = Phase.UNTIL_CLOSE;
      } else if (h.containsKey("content-length")) {
        remaining = contentLength(h.get("content-length"));
        phase = remaining == 0 ? Phase.DONE : Phase.LENGTH;
      } else {
        phase = Phase.UNTIL_CLOSE;
      }
      if (phase == Phase.UNTIL_CLOSE) {
        keepAlive = false;
      }
      lastHeader = null;
      headerBytes = 0;
      post.head(status, h);
    }

    private void chunkSize(int start, int end) throws IOException {
      int stop = start;
      while (stop < end && buf[stop] != ';') {
        stop++;
      }
      String hex = new String(buf, start, stop - start, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
      long size;
      try {
        if (hex.isEmpty() || hex.length() > 15) {
          throw new NumberFormatException(hex);
        }
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size from upstream");
      }
      if (size < 0) {
        throw new IOException("bad chunk size from upstream");
      }
      if (size == 0) {
        phase = Phase.TRAILERS;
      } else {
        remaining = size;
        phase = Phase.CHUNK_DATA;
      }
    }

    /** The answer is complete: the connection goes back to the pool if it can carry another. */
    private void complete() {
      Post p = post;
      boolean reusable = keepAlive && !writing && transport.flushed() && rpos == wpos && !transport.hasBuffered()
          && !pool.shut && !closed;
      post = null;
      p.conn = null;
      if (reusable) {
        state = State.IDLE;
        idleSince = clock.getAsLong();
        phase = Phase.STATUS;
        headers = null;
        rpos = 0;
        wpos = 0;
        scanFrom = 0;
        setOps(java.nio.channels.SelectionKey.OP_READ);
        pool.putIdle(this);
      } else {
        close();
      }
      p.end();
    }

    /** An idle connection became readable: the server closed it, or sent what nobody asked for. */
    private void idleReadable() {
      int n;
      try {
        in.clear();
        n = transport.read(in);
      } catch (IOException e) {
        n = -2;
      }
      if (n == 0) {
        // TLS records that carry no data (a session ticket): still idle.
        return;
      }
      if (n == -1) {
        long idle = clock.getAsLong() - idleSince;
        if (idle < idleLimit(key)) {
          // The server closed it sooner than we kept it: keep the next ones for less.
          lowerIdleLimit(key, idle / 2);
        }
      }
      close();
    }

    void resumed(Post p) {
      try {
        deadline = System.nanoTime() + p.timeoutNanos;
        pool.due(deadline);
        if (state != State.ACTIVE) {
          return;
        }
        parse();
        if (post == p && !p.paused && transport.hasBuffered()) {
          readable();
        }
        updateOps();
      } catch (Exception e) {
        fail(e);
      }
    }
  }
}
