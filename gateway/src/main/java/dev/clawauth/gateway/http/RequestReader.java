package dev.clawauth.gateway.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A connection's input bytes and the request being parsed from them, one piece at a time as the
 * bytes arrive: the head, then the body (a fixed length, or chunks de-chunked). Bytes after the
 * request stay buffered for the next one (pipelining).
 */
final class RequestReader {
  static final int NEED_MORE = 0;
  /** The head just parsed; the body (if any) follows. */
  static final int HEAD = 1;
  static final int COMPLETE = 2;
  static final byte[] EMPTY = new byte[0];

  /** Input held while a request is being answered, at most: beyond it the client waits (TCP flow control). */
  static final int PIPELINE_MAX = 64 * 1024;
  private static final int INITIAL = 16 * 1024;
  /** A declared body is allocated up to this much at once, then as its bytes arrive. */
  private static final int INITIAL_BODY = 64 * 1024;
  private static final int MAX_CHUNK_LINE = 1024;
  private static final int MAX_TRAILER_LINE = 8 * 1024;
  private static final int MAX_TRAILERS = 64 * 1024;
  private static final long CHUNKED = -2;

  private static final int P_HEAD = 0;
  private static final int P_FIXED = 1;
  private static final int P_SIZE = 2;
  private static final int P_DATA = 3;
  private static final int P_DATA_END = 4;
  private static final int P_TRAILERS = 5;
  private static final int P_DONE = 6;

  /** The server turns the request away with {@code status}; {@code head} is what of it was parsed. */
  static final class Refused extends Exception {
    final int status;
    final RequestHead head;
    /** Whether the request was well formed and refused only because the body budget was spent. */
    final boolean budgetSpent;

    Refused(int status, String message, RequestHead head) {
      this(status, message, head, false);
    }

    Refused(int status, String message, RequestHead head, boolean budgetSpent) {
      super(message, null, false, false);
      this.status = status;
      this.head = head;
      this.budgetSpent = budgetSpent;
    }
  }

  private final int maxHead;
  private final long maxBody;
  private byte[] buf = new byte[INITIAL];
  private ByteBuffer view = ByteBuffer.wrap(buf);
  private int pos;
  private int lim;
  /** Bytes after {@code pos} already searched for the head's end. */
  private int scanned;
  private int phase = P_HEAD;
  private RequestHead head;
  private byte[] body = EMPTY;
  private int bodyLen;
  /** The body's size at most: its declared length, or the limit for a chunked one. */
  private long bodyCap;
  /** Bytes left of the fixed body or of the current chunk. */
  private long left;
  private int trailerBytes;

  private final BodyBudget budget;
  /** Bytes of the budget taken for the body being read. */
  private long reserved;

  RequestReader(int maxHead, long maxBody) {
    this(maxHead, maxBody, new BodyBudget(Long.MAX_VALUE));
  }

  RequestReader(int maxHead, long maxBody, BodyBudget budget) {
    this.maxHead = maxHead;
    this.budget = budget;
    // A body is held in one array.
    this.maxBody = Math.min(maxBody, Integer.MAX_VALUE - 8);
  }

  int buffered() {
    return lim - pos;
  }

  /** Whether no more input may be buffered while a request is being answered. */
  boolean full() {
    return lim - pos >= Math.min(PIPELINE_MAX, buf.length);
  }

  /**
   * The buffer to read into, positioned after the buffered bytes; null when no more may be
   * buffered now ({@code answering}: a request is being answered, so what comes is pipelined).
   */
  ByteBuffer room(boolean answering) {
    if (pos == lim) {
      pos = 0;
      lim = 0;
    } else if (lim == buf.length && pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (answering && full()) {
      return null;
    }
    if (lim == buf.length) {
      if (answering || phase != P_HEAD || buf.length >= maxHead + 4) {
        return null;
      }
      buf = Arrays.copyOf(buf, (int) Math.min(buf.length * 2L, maxHead + 4L));
      view = ByteBuffer.wrap(buf);
    }
    view.limit(buf.length).position(lim);
    return view;
  }

  /** {@code n} bytes were read into {@link #room}. */
  void filled(int n) {
    lim += n;
  }

  /** Drops what is buffered (a connection that is closing). */
  void clear() {
    pos = 0;
    lim = 0;
    scanned = 0;
  }

  /**
   * Parses what is buffered: {@link #NEED_MORE}, {@link #HEAD} once when the head is complete,
   * then {@link #COMPLETE} when the body is too.
   */
  int parse() throws Refused {
    return switch (phase) {
      case P_HEAD -> headComplete() ? HEAD : NEED_MORE;
      case P_FIXED -> {
        if (!take()) {
          yield NEED_MORE;
        }
        phase = P_DONE;
        yield COMPLETE;
      }
      case P_DONE -> COMPLETE;
      default -> chunks();
    };
  }

  RequestHead head() {
    return head;
  }

  /** The complete body; after {@link #COMPLETE}. */
  byte[] body() {
    return bodyLen == body.length ? body : Arrays.copyOf(body, bodyLen);
  }

  /** Whether the head is parsed, a body is due and none of it has arrived. */
  boolean awaitingBody() {
    return phase != P_HEAD && phase != P_DONE && pos == lim;
  }

  /** The request as far as it arrived: its head, or what a cut-short head holds. */
  RequestHead partialHead() {
    return phase == P_HEAD ? RequestHead.partial(buf, pos, lim - pos) : head;
  }

  /** Whether the head arrived and the body did not: the request is stuck in its body. */
  boolean inBody() {
    return phase != P_HEAD;
  }

  /** The budget taken for the body just completed, now the caller's to release. */
  long takeReserved() {
    long r = reserved;
    reserved = 0;
    return r;
  }

  /** Drops the body being read and releases its budget (a refused request, a closed connection). */
  void dropBody() {
    budget.release(reserved);
    reserved = 0;
    body = EMPTY;
    bodyLen = 0;
  }

  /** Forgets the request just parsed; buffered bytes are the next one's. */
  void next() {
    dropBody();
    phase = P_HEAD;
    head = null;
    body = EMPTY;
    bodyLen = 0;
    left = 0;
    trailerBytes = 0;
    scanned = 0;
  }

  private boolean headComplete() throws Refused {
    for (int i = pos + scanned; i < lim; i++) {
      if (buf[i] == '\n' && ((i - 1 >= pos && buf[i - 1] == '\n')
          || (i - 2 >= pos && buf[i - 1] == '\r' && buf[i - 2] == '\n'))) {
        // A head that arrived whole in one read is held to the limit too, not only one that trickles.
        if (i + 1 - pos > maxHead) {
          throw tooLarge();
        }
        int from = pos;
        pos = i + 1;
        scanned = 0;
        try {
          head = RequestHead.parse(buf, from, pos - from);
        } catch (BadRequest bad) {
          throw malformed(RequestHead.NONE, bad.getMessage());
        }
        startBody();
        return true;
      }
    }
    scanned = lim - pos;
    if (lim - pos >= maxHead) {
      throw tooLarge();
    }
    return false;
  }

  private Refused tooLarge() {
    return new Refused(431, "The request head is larger than " + maxHead + " bytes.", partialHead());
  }

  private static Refused malformed(RequestHead head, String why) {
    return new Refused(400, "Malformed HTTP request: " + why + ".", head);
  }

  /** Takes {@code n} more bytes of the budget for the body, or refuses the request with a 503. */
  private void reserve(long n) throws Refused {
    if (!budget.reserve(n)) {
      throw new Refused(503, "The gateway already holds its limit of " + budget.max() + " bytes of request bodies"
          + " (config gateway.maxBufferedBodyBytes); retry shortly.", head, true);
    }
    reserved += n;
  }

  private Refused bodyTooLarge() {
    return new Refused(413, "The request body is larger than the gateway's limit of " + maxBody + " bytes.", head);
  }

  private void startBody() throws Refused {
    long framing;
    try {
      head.checkHost();
      framing = framing(head);
    } catch (BadRequest bad) {
      throw malformed(head, bad.getMessage());
    }
    if (framing == CHUNKED) {
      bodyCap = maxBody;
      phase = P_SIZE;
    } else if (framing > maxBody) {
      // Refused before a byte of it is read: the client may still be sending, so the close lingers.
      throw bodyTooLarge();
    } else if (framing == 0) {
      phase = P_DONE;
    } else {
      // The whole declared length, before a byte is read: it will be held once the body is in.
      reserve(framing);
      bodyCap = framing;
      left = framing;
      body = new byte[(int) Math.min(framing, INITIAL_BODY)];
      phase = P_FIXED;
    }
  }

  /** The body's framing from the head: a length, or {@link #CHUNKED}. */
  private static long framing(RequestHead head) throws BadRequest {
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
      List<String> te = h.all("transfer-encoding");
      if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
        throw new BadRequest("unsupported transfer-encoding");
      }
      return CHUNKED;
    }
    long len = 0;
    boolean seen = false;
    for (String v : h.all("content-length")) {
      for (String part : v.split(",", -1)) {
        String d = part.trim();
        // 1*DIGIT (RFC 9110 8.6): "+5" is a length some parsers take and others refuse, a smuggling seam.
        if (d.isEmpty() || d.length() > 18 || !decimal(d)) {
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

  private static boolean decimal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private int chunks() throws Refused {
    while (true) {
      switch (phase) {
        case P_SIZE -> {
          int eol = lineEnd(MAX_CHUNK_LINE);
          if (eol < 0) {
            return NEED_MORE;
          }
          long size = chunkSize(pos, contentEnd(eol));
          pos = eol + 1;
          if (size == 0) {
            phase = P_TRAILERS;
          } else if (bodyLen + size > maxBody) {
            throw bodyTooLarge();
          } else {
            left = size;
            phase = P_DATA;
          }
        }
        case P_DATA -> {
          if (!take()) {
            return NEED_MORE;
          }
          phase = P_DATA_END;
        }
        case P_DATA_END -> {
          int eol = lineEnd(MAX_CHUNK_LINE);
          if (eol < 0) {
            return NEED_MORE;
          }
          if (contentEnd(eol) != pos) {
            throw malformed(head, "a chunk is not followed by CRLF");
          }
          pos = eol + 1;
          phase = P_SIZE;
        }
        case P_TRAILERS -> {
          int eol = lineEnd(MAX_TRAILER_LINE);
          if (eol < 0) {
            return NEED_MORE;
          }
          int len = contentEnd(eol) - pos;
          pos = eol + 1;
          if (len == 0) {
            phase = P_DONE;
            return COMPLETE;
          }
          trailerBytes += len;
          if (trailerBytes > MAX_TRAILERS) {
            throw malformed(head, "trailers too large");
          }
        }
        default -> {
          return COMPLETE;
        }
      }
    }
  }

  /** The index of the LF ending the line at {@code pos}, or -1 while it has not arrived. */
  private int lineEnd(int max) throws Refused {
    for (int i = pos; i < lim; i++) {
      if (buf[i] == '\n') {
        if (i - pos > max) {
          break;
        }
        return i;
      }
    }
    if (lim - pos > max) {
      throw malformed(head, "a chunk-size or trailer line is longer than " + max + " bytes");
    }
    return -1;
  }

  /** Where the line ending in the LF at {@code eol} ends without its CR. */
  private int contentEnd(int eol) {
    return eol > pos && buf[eol - 1] == '\r' ? eol - 1 : eol;
  }

  private long chunkSize(int from, int to) throws Refused {
    int end = to;
    for (int i = from; i < to; i++) {
      if (buf[i] == ';') {
        end = i;
        break;
      }
    }
    int start = from;
    while (start < end && (buf[start] & 0xff) <= ' ') {
      start++;
    }
    while (end > start && (buf[end - 1] & 0xff) <= ' ') {
      end--;
    }
    // 15 hex digits at most, so the size cannot overflow.
    if (end == start || end - start > 15) {
      throw malformed(head, "malformed chunk size");
    }
    long size = 0;
    for (int i = start; i < end; i++) {
      // Only hex digits (no byte from 128 up is one to Character.digit): a sign would make a
      // negative chunk, "0x" a wrong one.
      int d = Character.digit(buf[i] & 0xff, 16);
      if (d < 0) {
        throw malformed(head, "malformed chunk size");
      }
      size = size << 4 | d;
    }
    return size;
  }

  /** Moves what is buffered of the fixed body or the current chunk into the body; true once all of it has. */
  private boolean take() throws Refused {
    int n = (int) Math.min(left, lim - pos);
    if (n > 0) {
      append(n);
      left -= n;
    }
    return left == 0;
  }

  /** Moves {@code n} buffered bytes into the body. */
  private void append(int n) throws Refused {
    int need = bodyLen + n;
    if (need > body.length) {
      int size = (int) Math.min(bodyCap, Math.max(need, Math.max(body.length * 2L, 1024)));
      // A chunked body takes the budget as it grows; a fixed one took its length at the head.
      if (size > reserved) {
        reserve(size - reserved);
      }
      body = Arrays.copyOf(body, size);
    }
    System.arraycopy(buf, pos, body, bodyLen, n);
    bodyLen = need;
    pos += n;
  }
}
