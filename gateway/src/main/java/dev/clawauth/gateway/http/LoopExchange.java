package dev.clawauth.gateway.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One request (with its whole body by the time it is handled) and its response, on an
 * event-loop connection. Every method runs on the connection's loop thread ({@link #loop}). The
 * response follows the JDK
 * server's conventions: {@link #sendHeaders} with a length above 0 sends exactly that many bytes,
 * 0 streams a body of unknown length (chunked), -1 sends none. Writes only queue bytes and never
 * block; {@link #flush} hands them to the socket as far as it takes them, and {@link #end}
 * completes the response. A handler may answer within its call or later, from a callback on the
 * same loop.
 */
public final class LoopExchange {
  private static final long CHUNKED = -2;
  private static final long UNTIL_CLOSE = -3;

  private final LoopConnection conn;
  private final RequestHead head;
  /** Empty until the whole body has arrived: {@link LoopHandler#admit} sees the head only. */
  private byte[] body = RequestReader.EMPTY;
  /** Bytes of the server's body budget this request's body holds, until the answer ends. */
  private long reserved;
  private final Headers responseHeaders = new Headers();
  private int status;
  private boolean mustClose;
  /** The body's framing once the head is sent: a length, {@link #CHUNKED} or {@link #UNTIL_CLOSE}. */
  private long mode;
  private long written;
  private boolean ended;
  private boolean complete;
  private Body out;
  private List<Runnable> drained;
  private List<Runnable> closed;
  /** The handler found the server's credential on this request. */
  private boolean passedCheck;
  /** A refusal the server counts in its periodic summary instead of a log line of its own. */
  private boolean summarised;
  private Tap tap;

  /** Sees the response body's bytes as they are written (before framing), on the loop. */
  public interface Tap {
    void bytes(byte[] b, int off, int len);
  }

  LoopExchange(LoopConnection conn, RequestHead head) {
    this.conn = conn;
    this.head = head;
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
    return conn.remote();
  }

  /** The whole request body, de-chunked (empty when there is none). */
  public byte[] requestBody() {
    return body;
  }

  /**
   * Tells the server, from {@link LoopHandler#admit}, that this request carries the server's
   * credential: its connection leaves the bounded share of unauthenticated connections and their
   * short head deadline.
   */
  public void authenticate() {
    passedCheck = true;
  }

  boolean passedCheck() {
    return passedCheck;
  }

  /** Whether a request on this connection has passed the credential check (always, without admission control). */
  public boolean authenticated() {
    return conn.authenticated();
  }

  /**
   * For {@link LoopHandler#refuse}: true when the server counts this refusal of an
   * unauthenticated connection in its periodic summary, so the handler should not log it itself.
   * The first of each interval is false, so that one is seen in full.
   */
  public boolean summarised() {
    return summarised;
  }

  void summarised(boolean quiet) {
    summarised = quiet;
  }

  /** The loop this exchange and its connection run on. */
  public EventLoop loop() {
    return conn.loop();
  }

  public Headers responseHeaders() {
    return responseHeaders;
  }

  /** The status sent, or 0 before {@link #sendHeaders}. */
  public int status() {
    return status;
  }

  public boolean headersSent() {
    return status != 0;
  }

  /** Marks the connection to close after this exchange. */
  public void closeAfter() {
    mustClose = true;
  }

  /**
   * Queues the status line and headers. {@code length}: above 0 the body's exact size, 0 unknown
   * (chunked, or until the close for an HTTP/1.0 client), -1 no body.
   */
  public void sendHeaders(int code, long length) throws IOException {
    if (status != 0) {
      throw new IOException("response headers already sent");
    }
    OutQueue q = queue();
    status = code;
    boolean toHead = head.method().equals("HEAD");
    boolean noBody = length < 0 || code == 204 || code == 304 || code < 200 || toHead;
    if (responseHeaders.hasToken("connection", "close")) {
      mustClose = true;
    }
    if (noBody) {
      mode = 0;
    } else if (length > 0) {
      mode = length;
    } else if (head.http11()) {
      mode = CHUNKED;
    } else {
      mode = UNTIL_CLOSE;
      mustClose = true;
    }
    q.ascii("HTTP/1.1 ");
    q.decimal(code);
    q.ascii(" ");
    q.ascii(reason(code));
    q.crlf();
    for (var e : responseHeaders.asMap().entrySet()) {
      String n = e.getKey();
      if (n.equals("content-length") || n.equals("transfer-encoding") || n.equals("connection")
          || n.equals("date") || !Headers.isToken(n)) {
        continue;
      }
      for (String v : e.getValue()) {
        if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
          q.ascii(n);
          q.ascii(": ");
          q.utf8(v);
          q.crlf();
        }
      }
    }
    q.ascii("date: ");
    q.ascii(HttpDate.now());
    q.crlf();
    if (mode == CHUNKED) {
      q.ascii("transfer-encoding: chunked\r\n");
    } else if (code != 204 && code != 304 && code >= 200) {
      // A HEAD answer announces the length a GET would have had; none when that is unknown (0).
      long announced = toHead ? (length == 0 ? -1 : Math.max(0, length)) : mode;
      if (announced >= 0) {
        q.ascii("content-length: ");
        q.decimal(announced);
        q.crlf();
      }
    }
    if (mustClose) {
      q.ascii("connection: close\r\n");
    } else if (!head.http11()) {
      // An HTTP/1.0 client keeps the connection only when the answer says so.
      q.ascii("connection: keep-alive\r\n");
    }
    q.crlf();
  }

  /** The response body; {@link #sendHeaders} first. Writes queue, {@code flush} is {@link #flush}. */
  public OutputStream responseBody() {
    if (status == 0) {
      throw new IllegalStateException("sendHeaders first");
    }
    if (out == null) {
      out = new Body();
    }
    return out;
  }

  /** Shows every byte of the response body written from now on to {@code t} as well. */
  public void tap(Tap t) {
    tap = t;
  }

  /** Hands what is queued to the socket as far as it takes it now; the rest follows when it can. */
  public void flush() {
    conn.flush();
  }

  /**
   * Completes the response (a bare 500 if no head was sent) and flushes. The connection then
   * goes on to the next request once the output has left, or closes.
   */
  public void end() {
    if (ended) {
      return;
    }
    if (status == 0) {
      mustClose = true;
      try {
        sendHeaders(500, -1);
      } catch (IOException gone) {
        // nothing to answer to
      }
    }
    ended = true;
    releaseBody();
    if (mode == CHUNKED) {
      OutQueue q = conn.queue();
      if (q != null) {
        q.ascii("0\r\n\r\n");
      }
      complete = true;
    } else {
      complete = mode == UNTIL_CLOSE || mode == 0 || written == mode;
    }
    conn.ended(this);
  }

  /** Ends a response that failed part way: no terminating chunk, and the connection closes. */
  public void abort() {
    if (!ended) {
      ended = true;
      releaseBody();
      complete = false;
      conn.ended(this);
    }
  }

  /** Bytes queued that the socket has not taken yet. */
  public long queuedBytes() {
    return conn.queued();
  }

  /**
   * Runs {@code r} once on the loop when the output queue is next empty; at once if it is now.
   * Never once the connection is gone: {@link #onClosed} says so instead.
   */
  public void onDrained(Runnable r) {
    if (conn.closed()) {
      return;
    }
    if (conn.queued() == 0) {
      r.run();
      return;
    }
    if (drained == null) {
      drained = new ArrayList<>(1);
    }
    drained.add(r);
    conn.flush();
  }

  /**
   * Runs {@code r} once if the client connection dies (reset, write error, or closed by the
   * server) before {@link #end}; at once if it is already gone. This is how an upstream call is
   * cancelled when its client leaves.
   */
  public void onClosed(Runnable r) {
    if (ended) {
      return;
    }
    if (conn.closed()) {
      r.run();
      return;
    }
    if (closed == null) {
      closed = new ArrayList<>(1);
    }
    closed.add(r);
  }

  /** Whether the client connection is gone. */
  public boolean clientGone() {
    return conn.closed();
  }

  /** The body has arrived whole; {@code reserved} bytes of the server's body budget are held for it. */
  void body(byte[] b, long reserved) {
    body = b;
    this.reserved = reserved;
  }

  /** Gives the body's share of the budget back: the answer is over, or the connection gone. */
  void releaseBody() {
    long r = reserved;
    reserved = 0;
    conn.bodies().release(r);
  }

  boolean ended() {
    return ended;
  }

  /** Whether the connection can carry the next request after this one. */
  boolean keepsConnection() {
    return complete && !mustClose;
  }

  boolean awaitsDrain() {
    return drained != null && !drained.isEmpty();
  }

  /** Runs and forgets the {@link #onDrained} callbacks. */
  void runDrained() {
    List<Runnable> run = drained;
    drained = null;
    for (Runnable r : run) {
      r.run();
    }
  }

  /** Runs the {@link #onClosed} callbacks: the connection died before the end. */
  void runClosed() {
    List<Runnable> run = closed;
    closed = null;
    drained = null;
    if (run != null) {
      for (Runnable r : run) {
        r.run();
      }
    }
  }

  private OutQueue queue() throws IOException {
    OutQueue q = conn.queue();
    if (q == null) {
      throw new IOException("the client connection is closed");
    }
    return q;
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

  /** The response body in the framing {@link #sendHeaders} chose; writes only queue. */
  private final class Body extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (ended) {
        throw new IOException("the response is complete");
      }
      OutQueue q = queue();
      if (len == 0) {
        return;
      }
      if (mode == CHUNKED) {
        q.hex(len);
        q.crlf();
        q.put(b, off, len);
        q.crlf();
      } else {
        if (mode >= 0 && written + len > mode) {
          throw new IOException("response body longer than its content-length " + mode);
        }
        q.put(b, off, len);
      }
      written += len;
      if (tap != null) {
        tap.bytes(b, off, len);
      }
    }

    @Override
    public void flush() {
      conn.flush();
    }

    @Override
    public void close() {
      conn.flush();
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
