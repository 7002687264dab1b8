package dev.clawauth.gateway;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking HTTP/1.1 client with keep-alive, for the upstream calls. On virtual threads a
 * blocking socket costs one park per read, where {@code java.net.http} hands every request and
 * response through its selector thread and futures; that hand-off is most of the latency the
 * gateway would add. TLS verifies the host name; only {@code POST} with a byte body is needed.
 */
final class UpstreamClient implements AutoCloseable {
  private static final long IDLE_MS = 30_000;

  /** An upstream answer; closing {@link #body()} before its end drops the connection (cancels). */
  record Response(int status, Map<String, List<String>> headers, InputStream body) {
    Optional<String> header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  private final Duration connectTimeout;
  private final Map<String, ConcurrentLinkedDeque<Conn>> pool = new ConcurrentHashMap<>();
  private volatile boolean closed;

  UpstreamClient(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  private static final class Conn {
    final String key;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    long idleSince;

    Conn(String key, Socket socket) throws IOException {
      this.key = key;
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 16384);
      this.out = socket.getOutputStream();
    }

    void close() {
      try {
        socket.close();
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
    for (int attempt = 0; ; attempt++) {
      Conn c = attempt == 0 ? pooled(key) : null;
      boolean reused = c != null;
      if (c == null) {
        c = open(key, host, port, tls);
      }
      try {
        c.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        c.out.write(all);
        c.out.flush();
        return read(c);
      } catch (IOException e) {
        c.close();
        // A pooled connection the server closed while idle: the request never arrived, so resend.
        if (reused && !(e instanceof java.net.SocketTimeoutException)) {
          continue;
        }
        throw e;
      }
    }
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
      if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
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
    long now = System.currentTimeMillis();
    for (Conn c; (c = q.pollFirst()) != null;) {
      if (now - c.idleSince < IDLE_MS && !c.socket.isClosed()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private Conn open(String key, String host, int port, boolean tls) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      if (tls) {
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, host, port, true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName(host)));
        p.setApplicationProtocols(new String[] {"http/1.1"});
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        return new Conn(key, ssl);
      }
      return new Conn(key, s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private Response read(Conn c) throws IOException {
    while (true) {
      String status = line(c.in);
      if (status == null) {
        throw new EOFException("upstream closed the connection before answering");
      }
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x response: " + (status.length() > 60 ? status.substring(0, 60) : status));
      }
      int code = Integer.parseInt(parts[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String h; (h = line(c.in)) != null && !h.isEmpty();) {
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
              .add(h.substring(colon + 1).trim());
        }
      }
      if (code >= 100 && code < 200) {
        continue;
      }
      boolean keepAlive = !headers.getOrDefault("connection", List.of()).contains("close")
          && parts[0].equals("HTTP/1.1");
      List<String> te = headers.getOrDefault("transfer-encoding", List.of());
      InputStream body;
      if (code == 204 || code == 304) {
        body = new Body(c, keepAlive, 0);
      } else if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
        body = new Chunked(c, keepAlive);
      } else if (headers.containsKey("content-length")) {
        body = new Body(c, keepAlive, Long.parseLong(headers.get("content-length").get(0)));
      } else {
        body = new Body(c, false, -1);
      }
      return new Response(code, headers, body);
    }
  }

  /** A CRLF-terminated line, or null at end of stream. */
  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) b);
      if (sb.length() > 65536) {
        throw new IOException("upstream header line too long");
      }
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  private void release(Conn c, boolean reusable) {
    if (reusable && !closed) {
      c.idleSince = System.currentTimeMillis();
      pool.computeIfAbsent(c.key, k -> new ConcurrentLinkedDeque<>()).addFirst(c);
    } else {
      c.close();
    }
  }

  /** A body of known length (or, with -1, up to the end of the connection). */
  private final class Body extends InputStream {
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
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done || remaining == 0) {
        return -1;
      }
      int want = remaining < 0 ? len : (int) Math.min(len, remaining);
      int n;
      try {
        n = c.in.read(b, off, want);
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

    @Override
    public void close() {
      finish(remaining == 0);
    }
  }

  /** A chunked body; the connection goes back to the pool after the last chunk. */
  private final class Chunked extends InputStream {
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
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (eof || done) {
        return -1;
      }
      try {
        if (chunkLeft == 0) {
          String size = line(c.in);
          if (size == null) {
            throw new EOFException("upstream closed the connection mid-body");
          }
          int semi = size.indexOf(';');
          chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
          if (chunkLeft == 0) {
            for (String t; (t = line(c.in)) != null && !t.isEmpty();) {
              // trailers are dropped
            }
            eof = true;
            finish(true);
            return -1;
          }
        }
        int n = c.in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
          throw new EOFException("upstream closed the connection mid-chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
          String crlf = line(c.in);
          if (crlf == null) {
            throw new EOFException("upstream closed the connection mid-body");
          }
        }
        return n;
      } catch (IOException | NumberFormatException e) {
        finish(false);
        throw e instanceof IOException io ? io : new IOException("bad chunk size from upstream", e);
      }
    }

    @Override
    public void close() {
      finish(eof);
    }
  }

  @Override
  public void close() {
    closed = true;
    pool.values().forEach(q -> {
      for (Conn c; (c = q.pollFirst()) != null;) {
        c.close();
      }
    });
  }
}
