package dev.clawauth.gateway.upstream;

import dev.clawauth.gateway.http.Headers;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The bytes of a POST, in one buffer that a connection reuses for every request it carries. */
final class RequestEncoder {
  private static final int BUFFER = 16384;

  private ByteBuffer out = ByteBuffer.allocate(BUFFER);

  /**
   * Puts {@code p}'s request into {@code srcs}, ready to write: the head (and a small body) first, a
   * large body second, gathered from the caller's array. Returns how many of {@code srcs} it used.
   */
  int encode(UpstreamCall p, ByteBuffer[] srcs) {
    out.clear();
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
      // The client sets these itself. A value with CR/LF would split the request, and a name that
      // is not a token ("content-length " from the config) can be framing to a lenient server. The
      // gateway refuses such a header before it gets here (Failover); this is the last guard.
      if (Headers.isToken(n) && Headers.isValue(v) && !n.equalsIgnoreCase("host")
          && !n.equalsIgnoreCase("content-length") && !n.equalsIgnoreCase("transfer-encoding")
          && !n.equalsIgnoreCase("connection")) {
        put(n);
        put(": ");
        put(v);
        put("\r\n");
      }
    }
    put("content-length: ");
    putInt(p.body.length);
    put("\r\n\r\n");
    // put may have replaced the buffer with a larger one.
    ByteBuffer b = out;
    int count;
    if (p.body.length <= b.remaining()) {
      // The usual small request leaves in one segment.
      b.put(p.body);
      count = 1;
    } else {
      srcs[1] = ByteBuffer.wrap(p.body);
      count = 2;
    }
    srcs[0] = b.flip();
    return count;
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
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
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
}
