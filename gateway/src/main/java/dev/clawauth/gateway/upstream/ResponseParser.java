package dev.clawauth.gateway.upstream;

import dev.clawauth.gateway.http.Headers;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The incremental parser of the answers on one connection: bytes are received into its buffer
 * ({@link #room}, {@link #received}), and {@link #next} turns what has arrived into the head, body
 * runs and the end, however the bytes were split. It reads {@code Content-Length}, chunked and
 * close-delimited bodies and skips 1xx answers. The buffer is reused for every answer and grows
 * only for a long line.
 */
final class ResponseParser {
  /** What {@link #next} found. */
  enum Event {
    /** Nothing complete yet: more bytes are needed. */
    MORE,
    /** The final answer's {@link #status} and {@link #headers}. */
    HEAD,
    /** Body bytes in {@link #body}, de-chunked. */
    BODY,
    /** The answer is complete. */
    END
  }

  private enum Phase { STATUS, HEADERS, LENGTH, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE }

  private static final int MAX_LINE = 65536;
  private static final int MAX_HEADER_BYTES = 256 * 1024;
  private static final int BUFFER = 16384;
  private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.ISO_8859_1);

  // Bytes [rpos, wpos) of buf are received and not yet parsed.
  private byte[] buf = new byte[BUFFER];
  private ByteBuffer in = ByteBuffer.wrap(buf);
  private int rpos;
  private int wpos;
  private int scanFrom;
  private Phase phase = Phase.STATUS;
  private int status;
  private Map<String, List<String>> headers;
  private List<String> lastHeader;
  private int headerBytes;
  private boolean keepAlive;
  private long remaining;
  /** A fault found after body bytes that {@link #next} returned first. */
  private IOException fault;

  /** Makes ready for the next answer; the bytes received and not parsed are dropped. */
  void reset() {
    phase = Phase.STATUS;
    headers = null;
    lastHeader = null;
    headerBytes = 0;
    fault = null;
    rpos = 0;
    wpos = 0;
    scanFrom = 0;
  }

  /** Where to receive more bytes: the free end of the buffer, at least 1 KiB of it. */
  ByteBuffer room() {
    if (rpos == wpos) {
      rpos = 0;
      wpos = 0;
      scanFrom = 0;
    } else if (buf.length - wpos < 1024) {
      makeRoom();
    }
    return in.limit(buf.length).position(wpos);
  }

  /** {@code n} bytes were put into {@link #room}. */
  void received(int n) {
    wpos += n;
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
      buf = Arrays.copyOf(buf, buf.length * 2);
      in = ByteBuffer.wrap(buf);
    }
  }

  int status() {
    return status;
  }

  /** The head's fields, names lower case. */
  Map<String, List<String>> headers() {
    return headers;
  }

  /** After {@link Event#BODY}: the bytes, valid until the next call. */
  ByteBuffer body() {
    return in;
  }

  /** After {@link Event#END}: whether the connection may carry another request. */
  boolean reusable() {
    return keepAlive && rpos == wpos;
  }

  /** After {@link Event#BODY}: throws the fault that cut that body short, if one did. */
  void throwFault() throws IOException {
    IOException e = fault;
    if (e != null) {
      fault = null;
      throw e;
    }
  }

  /** The connection ended: a close-delimited body is complete (call {@link #next}), anything else is cut short. */
  void endOfStream() throws IOException {
    switch (phase) {
      case UNTIL_CLOSE -> {
        keepAlive = false;
        phase = Phase.DONE;
      }
      case STATUS -> throw new EOFException(rpos == wpos && headers == null
          ? "upstream closed the connection before answering"
          : "upstream closed the connection in the middle of a line");
      case HEADERS -> throw new EOFException("upstream closed the connection in the middle of the head");
      case LENGTH -> throw new EOFException("upstream closed the connection " + remaining
          + " bytes before the end");
      case CHUNK_DATA -> throw new EOFException("upstream closed the connection mid-chunk");
      default -> throw new EOFException("upstream closed the connection mid-body");
    }
  }

  /**
   * Parses what has arrived, up to the next event. Body bytes are gathered into one run at the
   * front of what was parsed (chunk framing squeezed out in place) and returned as one event, so a
   * read of many small chunks (a stream of events) costs one {@link LoopUpstreamClient.Listener#onBody}.
   */
  Event next() throws IOException {
    int dataStart = -1;
    int dataEnd = -1;
    parsing:
    while (true) {
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
          return Event.END;
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
            if (line(start, end)) {
              return Event.HEAD;
            }
          } catch (IOException e) {
            if (dataStart < 0) {
              throw e;
            }
            // What arrived before the fault is the listener's before it hears of the fault.
            fault = e;
            break parsing;
          }
        }
      }
    }
    if (dataStart < 0) {
      return Event.MORE;
    }
    in.limit(dataEnd).position(dataStart);
    return Event.BODY;
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

  /** Takes one line; true when it ended the final answer's head. */
  private boolean line(int start, int end) throws IOException {
    switch (phase) {
      case STATUS -> statusLine(start, end);
      case HEADERS -> {
        if (end == start) {
          return endOfHead();
        }
        header(start, end);
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
    return false;
  }

  /** Parsed from the bytes: only the answer's own objects are allocated on the way. */
  private void statusLine(int start, int end) throws IOException {
    int sp = start + 8;
    boolean http1 = end - start >= 12 && buf[sp] == ' '
        && Arrays.equals(buf, start, start + 7, HTTP_1, 0, 7);
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
    headers = new LinkedHashMap<>();
    lastHeader = null;
    headerBytes = 0;
    phase = Phase.HEADERS;
  }

  private String text(int start, int end) {
    return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
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

  /** The head ended: true when it was the final answer's, its body framing then known. */
  private boolean endOfHead() throws IOException {
    if (status >= 100 && status < 200) {
      // 100 Continue, 103 Early Hints...: informational, the real answer follows.
      phase = Phase.STATUS;
      headers = null;
      return false;
    }
    Map<String, List<String>> h = headers;
    keepAlive = keepAlive && !Headers.hasToken(h.get("connection"), "close");
    List<String> te = h.get("transfer-encoding");
    List<String> length = h.get("content-length");
    if (status == 204 || status == 304) {
      phase = Phase.DONE;
    } else if (te != null) {
      // RFC 9112 6.3: the transfer coding overrides a Content-Length, which is dropped so that
      // whoever passes the head on does not announce a length the body does not have. Another
      // coding without chunked: the body ends when the connection does.
      h.remove("content-length");
      phase = Headers.hasToken(te, "chunked") ? Phase.CHUNK_SIZE : Phase.UNTIL_CLOSE;
    } else if (length != null) {
      remaining = contentLength(length);
      if (length.size() > 1 || length.get(0).indexOf(',') >= 0) {
        // Repeated equal values are one length: passed on as one number.
        h.put("content-length", List.of(Long.toString(remaining)));
      }
      phase = remaining == 0 ? Phase.DONE : Phase.LENGTH;
    } else {
      phase = Phase.UNTIL_CLOSE;
    }
    if (phase == Phase.UNTIL_CLOSE) {
      keepAlive = false;
    }
    lastHeader = null;
    headerBytes = 0;
    return true;
  }

  private void chunkSize(int start, int end) throws IOException {
    int stop = start;
    while (stop < end && buf[stop] != ';') {
      stop++;
    }
    String hex = new String(buf, start, stop - start, StandardCharsets.ISO_8859_1).trim();
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

  /** RFC 9112: repeated equal values are one length; differing or non-numeric ones are an error. */
  // split drops trailing empty parts on purpose here: "5," has been read as 5, any other empty part is an error.
  @SuppressWarnings("StringSplitter")
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
}
