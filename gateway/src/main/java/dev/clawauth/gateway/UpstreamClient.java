package dev.clawauth.gateway;

import dev.clawauth.gateway.http.BulkInputStream;
import dev.clawauth.gateway.http.Watchdog;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking HTTP/1.1 client with keep-alive, for the upstream calls. On virtual threads a
 * blocking socket costs one park per read, where {@code java.net.http} hands every request and
 * response through its selector thread and futures; that hand-off is most of the latency the
 * gateway would add. TLS verifies the host name; only {@code POST} with a byte body is needed.
 *
 * <p>Connection reuse never resends a request: a pooled connection is first probed without
 * blocking, and one the server has closed (or that holds stray bytes) is dropped before anything
 * is written. A failure after the request went out is reported, not retried, because a POST to a
 * model API is not idempotent.
 */
final class UpstreamClient implements AutoCloseable {
  /**
   * How long an idle connection is kept for an endpoint that has not said or shown otherwise: below
   * the 60 s of common load balancers. Agents call every few seconds to minutes, and each new
   * connection to a real provider costs a TCP and TLS handshake (one to two round trips) that a
   * client calling the provider directly, with its own pool, would not pay.
   */
  static final long IDLE_MS = 30_000;
  /** The shortest idle limit learned from an endpoint. */
  static final long MIN_IDLE_MS = 1_000;
  private static final int MAX_LINE = 65536;
  private static final int MAX_HEADER_BYTES = 256 * 1024;

  /** An upstream answer; closing {@link #body()} before its end drops the connection (cancels). */
  record Response(int status, Map<String, List<String>> headers, InputStream body) {
    /** The first value of a header; names are lower case. */
    Optional<String> header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  /**
   * The endpoint could not be reached at all (refused, unknown host, no route, TLS not established).
   * That is the endpoint's fault, not the credential's: every profile would meet the same.
   */
  static final class UnreachableException extends IOException {
    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A connection idle for less than this is reused without a probe: servers close idle ones after seconds. */
  static final long PROBE_AFTER_MS = 50;

  private final Duration connectTimeout;
  private final LongSupplier clock;
  private final Map<String, ConcurrentLinkedDeque<Conn>> pool = new ConcurrentHashMap<>();
  /**
   * Per endpoint, how long a connection may idle: the server's {@code Keep-Alive: timeout} less a
   * second, or half the idle time after which a probe found one closed; else {@link #IDLE_MS}. A
   * learned limit lapses after {@link #LEARNED_FOR_MS}, so one server restart does not shorten
   * every later connection.
   */
  private final Map<String, Learned> idleLimits = new ConcurrentHashMap<>();
  static final long LEARNED_FOR_MS = 600_000;

  private record Learned(long limit, long at) {}
  private final Watchdog watchdog = new Watchdog("clawauth-upstream-deadlines", 50);
  private volatile boolean closed;

  UpstreamClient(Duration connectTimeout) {
    this(connectTimeout, System::currentTimeMillis);
  }

  /** {@code clock}: milliseconds, for idle ages (tests move it instead of waiting). */
  UpstreamClient(Duration connectTimeout, LongSupplier clock) {
    this.connectTimeout = connectTimeout;
    this.clock = clock;
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

  /**
   * One connection with its own read buffer (no locks: one request uses it at a time). Reads and
   * writes block plainly; the watchdog closes the connection when one outlives the timeout.
   */
  private static final class Conn extends Watchdog.Watched {
    final String key;
    final SocketChannel channel;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final byte[] buf = new byte[16384];
    int pos;
    int lim;
    long idleSince;
    long timeoutNanos;

    Conn(String key, SocketChannel channel, Socket socket) throws IOException {
      this.key = key;
      this.channel = channel;
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /** Refills the buffer; false at end of stream. */
    boolean fill() throws IOException {
      int n = timed(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      lim = n;
      return true;
    }

    int read(byte[] b, int off, int len) throws IOException {
      if (pos == lim) {
        // Large reads go straight to the caller's array.
        if (len >= buf.length) {
          return timed(b, off, len);
        }
        if (!fill()) {
          return -1;
        }
      }
      int n = Math.min(len, lim - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    private int timed(byte[] b, int off, int len) throws IOException {
      arm(System.nanoTime() + timeoutNanos);
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw expired() ? timedOut() : e;
      } finally {
        disarm();
      }
    }

    SocketTimeoutException timedOut() {
      return new SocketTimeoutException("no answer from upstream within " + timeoutNanos / 1_000_000 + " ms");
    }

    @Override
    protected void expire() {
      close();
    }

    int buffered() {
      return lim - pos;
    }

    /**
     * Whether the next chunk can be read without waiting for the network: the buffer holds its
     * whole size line and then a byte of data, or, for the last chunk, the blank line that ends it.
     */
    boolean chunkReady() {
      int nl = pos;
      while (nl < lim && buf[nl] != '\n') {
        nl++;
      }
      if (nl >= lim - 1) {
        return false;
      }
      for (int i = pos; i < nl; i++) {
        byte d = buf[i];
        if (d == ';' || d == '\r') {
          break;
        }
        if (d != '0' && d != ' ') {
          return true;
        }
      }
      return buf[nl + 1] == '\n' || (buf[nl + 1] == '\r' && nl + 2 < lim && buf[nl + 2] == '\n');
    }

    /** A CRLF- (or LF-) terminated line as ISO-8859-1, or null at end of stream before any byte. */
    String line() throws IOException {
      StringBuilder sb = null;
      while (true) {
        if (pos == lim && !fill()) {
          if (sb == null || sb.isEmpty()) {
            return null;
          }
          throw new EOFException("upstream closed the connection in the middle of a line");
        }
        int start = pos;
        while (pos < lim && buf[pos] != '\n') {
          pos++;
        }
        if (pos < lim) {
          int end = pos++;
          if (sb == null) {
            int e = end > start && buf[end - 1] == '\r' ? end - 1 : end;
            return new String(buf, start, e - start, StandardCharsets.ISO_8859_1);
          }
          sb.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        if (sb == null) {
          sb = new StringBuilder(128);
        }
        sb.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
        if (sb.length() > MAX_LINE) {
          throw new IOException("upstream header line too long");
        }
      }
    }

    /**
     * Whether an idle connection can carry a request: nothing buffered, and a non-blocking read
     * finds neither data nor the end of stream (a server that closed its side has sent a FIN).
     */
    boolean idleAndOpen() {
      if (pos != lim || socket.isClosed()) {
        return false;
      }
      try {
        channel.configureBlocking(false);
        int n;
        try {
          n = channel.read(ByteBuffer.allocate(1));
        } finally {
          channel.configureBlocking(true);
        }
        return n == 0;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }

    void close() {
      try {
        socket.close();
        channel.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  Response post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) throws IOException {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    String key = scheme + "://" + host + ":" + port;
    byte[] head = head(uri, host, port, tls, headers, body.length);
    Conn c = pooled(key);
    if (c == null) {
      c = open(key, host, port, tls);
    }
    try {
      c.timeoutNanos = Math.max(1, timeout.toNanos());
      c.arm(System.nanoTime() + c.timeoutNanos);
      if (body.length <= 65536) {
        // One write, one segment for the usual small request.
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        c.out.write(all);
      } else {
        c.out.write(head);
        c.out.write(body);
      }
      c.out.flush();
      c.disarm();
      return read(c);
    } catch (IOException | RuntimeException e) {
      c.disarm();
      discard(c);
      if (c.expired()) {
        throw c.timedOut();
      }
      throw e instanceof IOException io ? io : new IOException("bad response from upstream: " + e.getMessage(), e);
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
  private static String unreachable(Exception e) {
    if (e instanceof java.net.UnknownHostException || e instanceof java.nio.channels.UnresolvedAddressException) {
      return "unknown host";
    }
    if (e instanceof java.net.ConnectException || e instanceof java.net.NoRouteToHostException
        || e instanceof javax.net.ssl.SSLException) {
      String m = e.getMessage();
      return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
    return null;
  }

  private static byte[] head(URI uri, String host, int port, boolean tls, Map<String, String> headers, int length) {
    StringBuilder sb = new StringBuilder(512);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    sb.append("POST ").append(path);
    if (uri.getRawQuery() != null) {
      sb.append('?').append(uri.getRawQuery());
    }
    sb.append(" HTTP/1.1\r\nHost: ").append(host);
    if (port != (tls ? 443 : 80)) {
      sb.append(':').append(port);
    }
    sb.append("\r\n");
    headers.forEach((n, v) -> {
      // The client sets these itself; a header with CR/LF would split the request.
      if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0 && n.indexOf(':') < 0 && n.indexOf('\r') < 0
          && n.indexOf('\n') < 0 && !n.equalsIgnoreCase("host") && !n.equalsIgnoreCase("content-length")
          && !n.equalsIgnoreCase("transfer-encoding") && !n.equalsIgnoreCase("connection")) {
        sb.append(n).append(": ").append(v).append("\r\n");
      }
    });
    sb.append("content-length: ").append(length).append("\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Conn pooled(String key) {
    ConcurrentLinkedDeque<Conn> q = pool.get(key);
    if (q == null) {
      return null;
    }
    long now = clock.getAsLong();
    long limit = idleLimit(key);
    for (Conn c; (c = q.pollFirst()) != null;) {
      long idle = now - c.idleSince;
      if (idle < limit) {
        if (idle < PROBE_AFTER_MS || c.idleAndOpen()) {
          return c;
        }
        // The server closed it sooner than we kept it: keep the next ones for less.
        lowerIdleLimit(key, idle / 2);
      }
      discard(c);
    }
    return null;
  }

  private Conn open(String key, String host, int port, boolean tls) throws IOException {
    SocketChannel ch = SocketChannel.open();
    Socket s = ch.socket();
    // A timed connect would switch the socket to non-blocking mode for good (see Watchdog).
    Watchdog.Watched connecting = new Watchdog.Watched() {
      @Override
      protected void expire() {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    };
    watchdog.watch(connecting);
    connecting.arm(System.nanoTime() + connectTimeout.toNanos());
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port));
      Conn c;
      if (tls) {
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, host, port, true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName(host)));
        p.setApplicationProtocols(new String[] {"http/1.1"});
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        c = new Conn(key, ch, ssl);
      } else {
        c = new Conn(key, ch, s);
      }
      connecting.disarm();
      if (connecting.expired()) {
        throw new SocketTimeoutException("connect to " + host + ":" + port + " timed out");
      }
      watchdog.watch(c);
      return c;
    } catch (IOException | RuntimeException e) {
      ch.close();
      if (connecting.expired()) {
        throw new SocketTimeoutException("connect to " + host + ":" + port + " timed out after "
            + connectTimeout.toMillis() + " ms");
      }
      String why = unreachable(e);
      if (why != null) {
        throw new UnreachableException(host + ":" + port + ": " + why, e);
      }
      throw e;
    } finally {
      watchdog.unwatch(connecting);
    }
  }

  private Response read(Conn c) throws IOException {
    while (true) {
      String status = c.line();
      if (status == null) {
        throw new EOFException("upstream closed the connection before answering");
      }
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
        throw new IOException("not an HTTP/1.x response: " + (status.length() > 60 ? status.substring(0, 60) : status));
      }
      int code;
      try {
        code = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad status code from upstream: " + parts[1]);
      }
      Map<String, List<String>> headers = headers(c);
      if (code >= 100 && code < 200) {
        // 100 Continue, 103 Early Hints...: informational, the real answer follows.
        continue;
      }
      boolean keepAlive = parts[0].equals("HTTP/1.1") && !hasToken(headers.get("connection"), "close");
      keepAliveTimeout(headers.get("keep-alive")).ifPresent(t -> lowerIdleLimit(c.key, t * 1000 - 1000));
      List<String> te = headers.get("transfer-encoding");
      InputStream body;
      if (code == 204 || code == 304) {
        body = new Body(c, keepAlive, 0);
      } else if (te != null && hasToken(te, "chunked")) {
        body = new Chunked(c, keepAlive);
      } else if (te != null) {
        // Another transfer coding without chunked: the body ends when the connection does.
        body = new Body(c, false, -1);
      } else if (headers.containsKey("content-length")) {
        body = new Body(c, keepAlive, contentLength(headers.get("content-length")));
      } else {
        body = new Body(c, false, -1);
      }
      return new Response(code, headers, body);
    }
  }

  /** Header fields, names lower-cased, obsolete line folding joined with a space. */
  private static Map<String, List<String>> headers(Conn c) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    List<String> last = null;
    int total = 0;
    for (String h; (h = c.line()) != null && !h.isEmpty();) {
      total += h.length();
      if (total > MAX_HEADER_BYTES) {
        throw new IOException("upstream response headers too large");
      }
      if ((h.charAt(0) == ' ' || h.charAt(0) == '\t') && last != null) {
        int i = last.size() - 1;
        last.set(i, (last.get(i) + " " + h.strip()).strip());
        continue;
      }
      int colon = h.indexOf(':');
      if (colon > 0) {
        last = headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            k -> new ArrayList<>(1));
        last.add(h.substring(colon + 1).trim());
      }
    }
    return headers;
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

  private void release(Conn c, boolean reusable) {
    if (reusable && !closed && !c.expired()) {
      c.idleSince = clock.getAsLong();
      pool.computeIfAbsent(c.key, k -> new ConcurrentLinkedDeque<>()).addFirst(c);
    } else {
      discard(c);
    }
  }

  private void discard(Conn c) {
    watchdog.unwatch(c);
    c.close();
  }

  /** A body of known length (or, with -1, up to the end of the connection). */
  private final class Body extends BulkInputStream {
    private final Conn c;
    private final boolean keepAlive;
    private long remaining;
    private boolean done;

    Body(Conn c, boolean keepAlive, long length) {
      this.c = c;
      this.keepAlive = keepAlive;
      this.remaining = length;
      if (length == 0) {
        finish(true);
      }
    }

    private void finish(boolean complete) {
      if (!done) {
        done = true;
        release(c, complete && keepAlive);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done || remaining == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int want = remaining < 0 ? len : (int) Math.min(len, remaining);
      int n;
      try {
        n = c.read(b, off, want);
      } catch (IOException e) {
        finish(false);
        throw e;
      }
      if (n < 0) {
        finish(false);
        if (remaining > 0) {
          throw new EOFException("upstream closed the connection " + remaining + " bytes before the end");
        }
        return -1;
      }
      if (remaining > 0) {
        remaining -= n;
        if (remaining == 0) {
          finish(true);
        }
      }
      return n;
    }

    /** What the next read returns without waiting for the network. */
    @Override
    public int available() {
      if (done || remaining == 0) {
        return 0;
      }
      return (int) (remaining < 0 ? c.buffered() : Math.min(remaining, c.buffered()));
    }

    @Override
    public void close() {
      finish(remaining == 0);
    }
  }

  /** A chunked body; the connection goes back to the pool after the last chunk and the trailers. */
  private final class Chunked extends BulkInputStream {
    private final Conn c;
    private final boolean keepAlive;
    private long chunkLeft;
    private boolean eof;
    private boolean done;

    Chunked(Conn c, boolean keepAlive) {
      this.c = c;
      this.keepAlive = keepAlive;
    }

    private void finish(boolean complete) {
      if (!done) {
        done = true;
        release(c, complete && keepAlive);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (eof || done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      try {
        if (chunkLeft == 0) {
          String size = c.line();
          if (size == null) {
            throw new EOFException("upstream closed the connection mid-body");
          }
          int semi = size.indexOf(';');
          String hex = (semi < 0 ? size : size.substring(0, semi)).trim();
          if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("bad chunk size from upstream");
          }
          chunkLeft = Long.parseLong(hex, 16);
          if (chunkLeft < 0) {
            throw new IOException("bad chunk size from upstream");
          }
          if (chunkLeft == 0) {
            for (String t; (t = c.line()) != null && !t.isEmpty();) {
              // trailers are dropped
            }
            eof = true;
            finish(true);
            return -1;
          }
        }
        int n = c.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
          throw new EOFException("upstream closed the connection mid-chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
          String crlf = c.line();
          if (crlf == null) {
            throw new EOFException("upstream closed the connection mid-body");
          }
          if (!crlf.isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
          }
        }
        return n;
      } catch (IOException | NumberFormatException e) {
        finish(false);
        throw e instanceof IOException io ? io : new IOException("bad chunk size from upstream", e);
      }
    }

    /**
     * Nonzero when the next read returns without waiting for the network: the bytes of this chunk
     * that are buffered, else 1 when the next chunk (or the end of the body) is.
     */
    @Override
    public int available() {
      if (eof || done) {
        return 0;
      }
      if (chunkLeft > 0) {
        return (int) Math.min(chunkLeft, c.buffered());
      }
      return c.chunkReady() ? 1 : 0;
    }

    @Override
    public void close() {
      finish(eof);
    }
  }

  /** Idle connections in the pool, for tests. */
  int idleConnections() {
    return pool.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
  }

  @Override
  public void close() {
    closed = true;
    pool.values().forEach(q -> {
      for (Conn c; (c = q.pollFirst()) != null;) {
        discard(c);
      }
    });
    watchdog.close();
  }
}
