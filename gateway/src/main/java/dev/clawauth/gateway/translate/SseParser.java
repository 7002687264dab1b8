package dev.clawauth.gateway.translate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event byte stream into events as bytes arrive. A line is decoded only once
 * it is whole, so a chunk boundary inside a line, a CRLF pair or a UTF-8 sequence changes nothing.
 */
final class SseParser {
  /** One dispatched event: its {@code event:} name (null when it had none) and its joined data lines. */
  record Event(String name, String data) {}

  /** Thrown when one line is longer than {@link #MAX_LINE}: a stream that never ends its line must not fill the heap. */
  static final class LineTooLong extends RuntimeException {
    LineTooLong() {
      super("the upstream sent a stream line longer than " + (MAX_LINE >> 20) + " MiB", null, false, false);
    }
  }

  static final int MAX_LINE = 16 << 20;

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);

  private byte[] line = new byte[512];
  private int length;
  /** A CR ended the last line; a LF right after it belongs to the same line end. */
  private boolean afterCr;
  private String name;
  /** The data lines so far, joined; most events have one line, so no builder. */
  private String data;

  void feed(ByteBuffer bytes, Consumer<Event> out) {
    while (bytes.hasRemaining()) {
      int at = bytes.position();
      int limit = bytes.limit();
      if (afterCr) {
        afterCr = false;
        if (bytes.get(at) == '\n') {
          bytes.position(at + 1);
          continue;
        }
      }
      int end = at;
      byte b = 0;
      while (end < limit && (b = bytes.get(end)) != '\n' && b != '\r') {
        end++;
      }
      append(bytes, at, end - at);
      if (end == limit) {
        bytes.position(limit);
        return;
      }
      bytes.position(end + 1);
      afterCr = b == '\r';
      lineEnd(out);
    }
  }

  private void append(ByteBuffer bytes, int from, int n) {
    if (length + n > MAX_LINE) {
      throw new LineTooLong();
    }
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
    }
    bytes.get(from, line, length, n);
    length += n;
  }

  private void lineEnd(Consumer<Event> out) {
    int n = length;
    length = 0;
    if (n == 0) {
      if (data != null) {
        out.accept(new Event(name, data));
      }
      name = null;
      data = null;
      return;
    }
    if (line[0] == ':') {
      return;
    }
    int colon = 0;
    while (colon < n && line[colon] != ':') {
      colon++;
    }
    int from = colon < n ? colon + 1 : n;
    if (from < n && line[from] == ' ') {
      from++;
    }
    if (is(DATA, colon)) {
      String value = new String(line, from, n - from, StandardCharsets.UTF_8);
      data = data == null ? value : data + "\n" + value;
    } else if (is(EVENT, colon)) {
      name = new String(line, from, n - from, StandardCharsets.UTF_8);
    }
  }

  /** Whether the line's field name, its first {@code n} bytes, is {@code field}. */
  private boolean is(byte[] field, int n) {
    return n == field.length && Arrays.equals(line, 0, n, field, 0, n);
  }
}
