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

  private byte[] line = new byte[512];
  private int length;
  /** A CR ended the last line; a LF right after it belongs to the same line end. */
  private boolean afterCr;
  private String name;
  private StringBuilder data;

  void feed(ByteBuffer bytes, Consumer<Event> out) {
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        afterCr = b == '\r';
        lineEnd(out);
      } else {
        if (length == line.length) {
          line = Arrays.copyOf(line, length * 2);
        }
        line[length++] = b;
      }
    }
  }

  private void lineEnd(Consumer<Event> out) {
    if (length == 0) {
      if (data != null) {
        out.accept(new Event(name, data.toString()));
      }
      name = null;
      data = null;
      return;
    }
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    length = 0;
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    int from = colon < 0 ? text.length() : colon + 1;
    if (from < text.length() && text.charAt(from) == ' ') {
      from++;
    }
    String value = text.substring(from);
    switch (field) {
      case "event" -> name = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> { }
    }
  }
}
