package dev.clawauth.gateway.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A connection's output not yet taken by the socket. Bytes collect in one direct buffer, so a
 * small response (head and body) leaves in one write with no copy on the way; what does not fit
 * spills into heap chunks behind it, and a write gathers the buffer and the first chunks at once.
 */
final class OutQueue {
  private static final int BUFFER = 16 * 1024;
  private static final int CHUNK = 64 * 1024;
  private static final int MIN_CHUNK = 8 * 1024;
  private static final int GATHER = 8;
  private static final byte[] CRLF = {'\r', '\n'};

  /** Filled from 0 to its position; everything in it goes out before the spill. */
  private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
  /** Each chunk readable from its position to its limit, filled up to its capacity. */
  private final ArrayDeque<ByteBuffer> spill = new ArrayDeque<>();
  private final ByteBuffer[] gather = new ByteBuffer[GATHER];
  private final byte[] digits = new byte[20];
  private long spilled;

  /** Bytes queued. */
  long size() {
    return buf.position() + spilled;
  }

  void put(byte[] b, int off, int len) {
    if (spill.isEmpty()) {
      int n = Math.min(len, buf.remaining());
      buf.put(b, off, n);
      if (n == len) {
        return;
      }
      off += n;
      len -= n;
    }
    spill(b, off, len);
  }

  private void spill(byte[] b, int off, int len) {
    spilled += len;
    ByteBuffer last = spill.peekLast();
    while (len > 0) {
      if (last == null || last.limit() == last.capacity()) {
        last = ByteBuffer.allocate(Math.min(CHUNK, Math.max(len, MIN_CHUNK)));
        last.limit(0);
        spill.addLast(last);
      }
      int at = last.limit();
      int n = Math.min(len, last.capacity() - at);
      last.limit(at + n);
      last.put(at, b, off, n);
      off += n;
      len -= n;
    }
  }

  /** Appends a string of single-byte characters (ISO-8859-1). */
  void ascii(String s) {
    int n = s.length();
    if (spill.isEmpty() && n <= buf.remaining()) {
      for (int i = 0; i < n; i++) {
        buf.put((byte) s.charAt(i));
      }
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    put(b, 0, b.length);
  }

  /** Appends a string as UTF-8. */
  void utf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        put(b, 0, b.length);
        return;
      }
    }
    ascii(s);
  }

  void crlf() {
    if (spill.isEmpty() && buf.remaining() >= 2) {
      buf.put((byte) '\r').put((byte) '\n');
    } else {
      put(CRLF, 0, 2);
    }
  }

  void decimal(long v) {
    number(v, 10);
  }

  void hex(long v) {
    number(v, 16);
  }

  private void number(long v, int radix) {
    int at = digits.length;
    do {
      digits[--at] = (byte) Character.forDigit((int) (v % radix), radix);
      v /= radix;
    } while (v > 0);
    put(digits, at, digits.length - at);
  }

  /** Writes what the channel takes now. */
  void writeTo(GatheringByteChannel ch) throws IOException {
    while (size() > 0) {
      buf.flip();
      int fromBuf = buf.remaining();
      long offered = fromBuf;
      int n = 0;
      if (fromBuf > 0) {
        gather[n++] = buf;
      }
      for (ByteBuffer b : spill) {
        if (n == GATHER) {
          break;
        }
        gather[n++] = b;
        offered += b.remaining();
      }
      long w;
      try {
        w = n == 1 ? ch.write(gather[0]) : ch.write(gather, 0, n);
      } finally {
        fromBuf -= buf.remaining();
        buf.compact();
        Arrays.fill(gather, 0, n, null);
      }
      spilled -= w - fromBuf;
      while (!spill.isEmpty() && !spill.peekFirst().hasRemaining()) {
        spill.pollFirst();
      }
      if (w < offered) {
        return;
      }
    }
  }

  /** Drops everything (the connection closed). */
  void clear() {
    buf.clear();
    spill.clear();
    spilled = 0;
  }
}
