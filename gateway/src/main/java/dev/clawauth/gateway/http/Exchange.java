package dev.clawauth.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One request and its response on a connection. The response follows the JDK server's
 * conventions: {@link #sendHeaders} with a length above 0 sends exactly that many bytes, 0 streams
 * a body of unknown length (chunked), -1 sends none. Nothing reaches the socket before the body
 * is flushed or the exchange ends, so a small answer leaves in one write.
 */
public final class Exchange {
  private static final int MAX_CHUNK_LINE = 1024;
  private static final int MAX_TRAILERS = 64 * 1024;
  /** Unread request bodies up to this size are skipped to keep the connection; larger ones close it. */
  private static final long DRAIN_LIMIT = 256 * 1024;
  private static final long UNPARSED = Long.MIN_VALUE;

  private final Wire wire;
  private final RequestHead head;
  private final long deadlineNanos;
  private final Headers responseHeaders = new Headers();
  private final InetSocketAddress remote;
  private BodyIn body;
  private BodyOut out;
  private int status = -1;
  private boolean mustClose;
  private boolean continueSent;
  /** The body's framing from the head, parsed on first use. */
  private long framing = UNPARSED;

  Exchange(Wire wire, RequestHead head, long deadlineNanos, InetSocketAddress remote) {
    this.wire = wire;
    this.head = head;
    this.deadlineNanos = deadlineNanos;
    this.remote = remote;
    Headers h = head.headers();
    mustClose = head.http11() ? h.hasToken("connection", "close") : !h.hasToken("connection", "keep-alive");
  }

  public String method() {
    return head.method();
  }

  /** The decoded path, without the query. */
  public String path() {
    return head.path();
  }

  public Headers requestHeaders() {
    return head.headers();
  }

  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /**
   * The request body, de-chunked. Reads fail with {@link SocketTimeoutException} once the
   * request's read deadline has passed, however the bytes trickle in.
   *
   * @throws IOException when the framing headers are contradictory or unsupported
   */
  public InputStream requestBody() throws IOException {
    if (body == null) {
      body = new BodyIn(framing());
    }
    return body;
  }

  /** The request body's length from its head, or -1 when it is chunked. */
  public long contentLength() throws BadRequest {
    long f = framing();
    return f == BodyIn.CHUNKED ? -1 : f;
  }

  private long framing() throws BadRequest {
    if (framing != UNPARSED) {
      return framing;
    }
    framing = parseFraming();
    return framing;
  }

  private long parseFraming() throws BadRequest {
    Headers h = head.headers();
    if (h.has("transfer-encoding")) {
      if (!head.http11()) {
        // RFC 9112 6.1: HTTP/1.0 has no transfer codings, so their presence means faulty framing.
        throw new BadRequest("transfer-encoding in an HTTP/1.0 request");
      }
      // Both framings at once is how requests are smuggled: refuse rather than pick one.
      if (h.has("content-length")) {
        throw new BadRequest("both transfer-encoding and content-length");
      }
      java.util.List<String> te = h.all("transfer-encoding");
      if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
        throw new BadRequest("unsupported transfer-encoding");
      }
      return BodyIn.CHUNKED;
    }
    long len = 0;
    boolean seen = false;
    for (String v : h.all("content-length")) {
      for (String part : v.split(",", -1)) {
        String d = part.trim();
        // 1*DIGIT (RFC 9110 8.6): "+5" is a length some parsers take and others refuse, a smuggling seam.
        if (d.isEmpty() || d.length() > 18 || !digits(d, 10)) {
          throw new BadRequest("malformed content-length");
        }
        long n = Long.parseLong(d);
        if (seen && n != len) {
          throw new BadRequest("malformed content-length");
        }
        len = n;
        seen = true;
      }
    }
    return len;
  }

  public Headers responseHeaders() {
    return responseHeaders;
  }

  /** The status sent, or -1 before {@link #sendHeaders}. */
  public int status() {
    return status;
  }

  public boolean headersSent() {
    return status >= 0;
  }

  /** Marks the connection to close after this exchange. */
  public void closeAfter() {
    mustClose = true;
  }

  public void sendHeaders(int code, long length) throws IOException {
    if (status >= 0) {
      throw new IOException("response headers already sent");
    }
    status = code;
    boolean noBody = length < 0 || code == 204 || code == 304 || code < 200 || head.method().equals("HEAD");
    if (responseHeaders.hasToken("connection", "close")) {
      mustClose = true;
    }
    long left;
    try {
      left = unread();
    } catch (BadRequest e) {
      left = BodyIn.CHUNKED;
    }
    if (left == BodyIn.CHUNKED || left > DRAIN_LIMIT) {
      // The rest of the body will not be skipped, so the connection ends with this answer; say so.
      mustClose = true;
    }
    if (expectsContinue() && !continueSent && left != 0) {
      // The client waits for a go-ahead it can no longer get and may or may not send its body, so
      // nothing after this answer can be taken for its next request (RFC 9110 10.1.1).
      mustClose = true;
    }
    long mode;
    if (noBody) {
      mode = 0;
    } else if (length > 0) {
      mode = length;
    } else if (head.http11()) {
      mode = BodyOut.CHUNKED;
    } else {
      mode = BodyOut.UNTIL_CLOSE;
      mustClose = true;
    }
    wire.ascii("HTTP/1.1 " + code + " " + reason(code) + "\r\n");
    for (var e : responseHeaders.asMap().entrySet()) {
      String n = e.getKey();
      if (n.equals("content-length") || n.equals("transfer-encoding") || n.equals("connection")
          || n.equals("date") || !token(n)) {
        continue;
      }
      for (String v : e.getValue()) {
        if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
          wire.ascii(n);
          wire.ascii(": ");
          wire.write(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          wire.ascii("\r\n");
        }
      }
    }
    wire.ascii("date: " + HttpDate.now() + "\r\n");
    if (mode == BodyOut.CHUNKED) {
      wire.ascii("transfer-encoding: chunked\r\n");
    } else if (code != 204 && code != 304 && code >= 200) {
      // A HEAD answer announces the length a GET would have had; none when that is unknown (0).
      long announced = head.method().equals("HEAD") ? (length == 0 ? -1 : Math.max(0, length)) : mode;
      if (announced >= 0) {
        wire.ascii("content-length: " + announced + "\r\n");
      }
    }
    if (mustClose) {
      wire.ascii("connection: close\r\n");
    } else if (!head.http11()) {
      // An HTTP/1.0 client keeps the connection only when the answer says so.
      wire.ascii("connection: keep-alive\r\n");
    }
    wire.ascii("\r\n");
    out = new BodyOut(mode);
  }

  /** The response body; {@link #sendHeaders} first. Flushing sends what is buffered (an SSE event). */
  public OutputStream responseBody() {
    if (out == null) {
      throw new IllegalStateException("sendHeaders first");
    }
    return out;
  }

  /**
   * Completes the response (a 500 if none was sent) and says whether the connection can carry
   * another request.
   */
  boolean finish() {
    try {
      if (status < 0) {
        mustClose = true;
        sendHeaders(500, -1);
      }
      boolean complete = out != null && out.end();
      wire.flush();
      return complete && !mustClose && drained();
    } catch (IOException e) {
      return false;
    }
  }

  /** Skips what the handler left of a small request body, so the next request can follow. */
  private boolean drained() {
    try {
      long left = unread();
      if (left == 0) {
        return true;
      }
      if (left == BodyIn.CHUNKED || left > DRAIN_LIMIT) {
        return false;
      }
      if (body == null) {
        body = new BodyIn(left);
      }
      byte[] skip = new byte[(int) Math.min(8192, left)];
      while (body.read(skip, 0, skip.length) >= 0) {
        // discard
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean digits(String s, int radix) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 127 || Character.digit(c, radix) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean token(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 127 || c == ':') {
        return false;
      }
    }
    return true;
  }

  static String reason(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 529 -> "Overloaded";
      default -> "Status";
    };
  }

  /** The request body: a fixed length, or chunks. */
  private final class BodyIn extends BulkInputStream {
    static final long CHUNKED = -2;
    long remaining;
    private long chunkLeft;
    private boolean done;

    BodyIn(long framing) {
      this.remaining = framing;
      this.done = framing == 0;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      goAhead();
      if (remaining != CHUNKED) {
        int n = wire.read(b, off, (int) Math.min(len, remaining), deadlineNanos);
        if (n < 0) {
          throw new java.io.EOFException("the client closed the connection " + remaining + " bytes before the end of its body");
        }
        remaining -= n;
        done = remaining == 0;
        return n;
      }
      if (chunkLeft == 0) {
        chunkLeft = chunkSize();
        if (chunkLeft == 0) {
          trailers();
          done = true;
          return -1;
        }
      }
      int n = wire.read(b, off, (int) Math.min(len, chunkLeft), deadlineNanos);
      if (n < 0) {
        throw new java.io.EOFException("the client closed the connection in the middle of a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0 && !wire.line(deadlineNanos, MAX_CHUNK_LINE).isEmpty()) {
        throw new BadRequest("a chunk is not followed by CRLF");
      }
      return n;
    }

    private long chunkSize() throws IOException {
      String line = wire.line(deadlineNanos, MAX_CHUNK_LINE);
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
      // Only hex digits: Long.parseLong also takes a sign, and "-5" would make a negative chunk.
      if (hex.isEmpty() || hex.length() > 15 || !digits(hex, 16)) {
        throw new BadRequest("malformed chunk size");
      }
      return Long.parseLong(hex, 16);
    }

    private void trailers() throws IOException {
      int total = 0;
      for (String t; !(t = wire.line(deadlineNanos, MAX_CHUNK_LINE * 8)).isEmpty();) {
        total += t.length();
        if (total > MAX_TRAILERS) {
          throw new BadRequest("trailers too large");
        }
      }
    }

    @Override
    public int available() {
      return done ? 0 : (int) Math.min(wire.buffered(), remaining == CHUNKED ? chunkLeft : remaining);
    }
  }

  /** What is left of the request body: 0, a number of bytes, or {@code BodyIn.CHUNKED} (unknown). */
  private long unread() throws BadRequest {
    if (body != null) {
      return body.done ? 0 : body.remaining;
    }
    return framing();
  }

  /** RFC 9110 10.1.1: an HTTP/1.0 client's 100-continue expectation is ignored. */
  private boolean expectsContinue() {
    return head.http11() && head.headers().hasToken("expect", "100-continue");
  }

  /** A client waiting after {@code Expect: 100-continue} gets its go-ahead when the body is first read. */
  private void goAhead() throws IOException {
    if (!continueSent && status < 0 && expectsContinue()) {
      continueSent = true;
      wire.ascii("HTTP/1.1 100 Continue\r\n\r\n");
      wire.flush();
    }
  }

  /** The response body in the framing {@link #sendHeaders} chose. */
  private final class BodyOut extends OutputStream {
    static final long CHUNKED = -2;
    static final long UNTIL_CLOSE = -3;
    private final long length;
    private long written;
    private boolean ended;

    BodyOut(long length) {
      this.length = length;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (ended) {
        throw new IOException("the response is complete");
      }
      if (len == 0) {
        return;
      }
      if (length == CHUNKED) {
        wire.ascii(Integer.toHexString(len));
        wire.ascii("\r\n");
        wire.write(b, off, len);
        wire.ascii("\r\n");
      } else {
        if (length >= 0 && written + len > length) {
          throw new IOException("response body longer than its content-length " + length);
        }
        wire.write(b, off, len);
      }
      written += len;
    }

    @Override
    public void flush() throws IOException {
      wire.flush();
    }

    /** Writes the end of the body; false when the declared length was not reached. */
    boolean end() throws IOException {
      if (ended) {
        return true;
      }
      ended = true;
      if (length == CHUNKED) {
        wire.ascii("0\r\n\r\n");
        return true;
      }
      return length == UNTIL_CLOSE || written == Math.max(0, length) || length == 0;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** The Date header's value, formatted at most once a second. */
  private static final class HttpDate {
    private record Stamp(long second, String text) {}

    private static volatile Stamp last = new Stamp(-1, "");

    static String now() {
      long s = System.currentTimeMillis() / 1000;
      Stamp st = last;
      if (st.second() != s) {
        st = new Stamp(s, DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC)));
        last = st;
      }
      return st.text();
    }
  }
}
