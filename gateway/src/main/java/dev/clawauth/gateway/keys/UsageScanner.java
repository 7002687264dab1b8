package dev.clawauth.gateway.keys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Reads the token counts out of an answer as its bytes go by, without keeping the answer: a JSON
 * body, or each {@code data:} event of a stream, goes through Jackson's non-blocking parser, and
 * only the fields of a {@code usage} object at the top or one level down are kept (Messages'
 * {@code usage} and {@code message_start}'s {@code message.usage}, Chat Completions' final chunk,
 * Responses' {@code response.usage} in {@code response.completed}). The last count seen of each
 * direction wins, as the providers' later events carry the running totals. What it cannot read
 * counts as 0.
 */
public final class UsageScanner {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] DATA = "data:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private enum Line { START, DATA, SKIP }

  private final boolean events;
  private long in;
  private long out;
  // The JSON being read: a whole body, or one event's data.
  private JsonParser parser;
  private boolean broken;
  private int depth;
  private int usageDepth = -1;
  private boolean expectUsage;
  private String field;
  private long objIn;
  private long objOut;
  private boolean sawIn;
  private boolean sawOut;
  // Where a stream's current line is.
  private Line line = Line.START;
  private int prefixSeen;

  private UsageScanner(boolean events) {
    this.events = events;
  }

  /** A scanner for an answer of {@code contentType}; null when it holds no usage to read. */
  public static UsageScanner forContentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    return t.contains("text/event-stream") ? new UsageScanner(true)
        : t.contains("json") ? new UsageScanner(false) : null;
  }

  public long tokensIn() {
    return in;
  }

  public long tokensOut() {
    return out;
  }

  public void bytes(byte[] b, int off, int len) {
    if (!events) {
      feed(b, off, off + len);
      return;
    }
    int end = off + len;
    int i = off;
    while (i < end) {
      switch (line) {
        case START -> {
          byte c = b[i];
          if (c == '\n' && prefixSeen == 0) {
            endEvent();
            i++;
          } else if (c == '\r' && prefixSeen == 0) {
            i++;
          } else if (c == DATA[prefixSeen]) {
            prefixSeen++;
            i++;
            if (prefixSeen == DATA.length) {
              prefixSeen = 0;
              line = Line.DATA;
            }
          } else {
            prefixSeen = 0;
            line = Line.SKIP;
          }
        }
        case DATA -> {
          int nl = indexOf(b, i, end);
          feed(b, i, nl < 0 ? end : nl);
          if (nl < 0) {
            i = end;
          } else {
            line = Line.START;
            i = nl + 1;
          }
        }
        case SKIP -> {
          int nl = indexOf(b, i, end);
          if (nl < 0) {
            i = end;
          } else {
            line = Line.START;
            i = nl + 1;
          }
        }
      }
    }
  }

  private static int indexOf(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void endEvent() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
    parser = null;
    broken = false;
    depth = 0;
    usageDepth = -1;
    expectUsage = false;
  }

  private void feed(byte[] b, int from, int to) {
    if (broken || from >= to) {
      return;
    }
    try {
      if (parser == null) {
        parser = JSON.createNonBlockingByteArrayParser();
      }
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(b, from, to);
      JsonToken t;
      while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
        token(t);
      }
    } catch (IOException | RuntimeException notJson) {
      // "[DONE]", or a body that is not JSON: nothing to count in it.
      broken = true;
    }
  }

  private void token(JsonToken t) throws IOException {
    switch (t) {
      case FIELD_NAME -> {
        String name = parser.currentName();
        if (usageDepth == depth) {
          field = name;
        } else {
          expectUsage = depth <= 2 && "usage".equals(name);
        }
      }
      case START_OBJECT -> {
        depth++;
        if (expectUsage) {
          usageDepth = depth;
          objIn = 0;
          objOut = 0;
          sawIn = false;
          sawOut = false;
        }
        expectUsage = false;
      }
      case END_OBJECT -> {
        if (depth == usageDepth) {
          usageDepth = -1;
          if (sawIn) {
            in = objIn;
          }
          if (sawOut) {
            out = objOut;
          }
        }
        depth--;
      }
      case START_ARRAY -> {
        depth++;
        expectUsage = false;
      }
      case END_ARRAY -> depth--;
      case VALUE_NUMBER_INT -> {
        if (usageDepth == depth && field != null) {
          count(field, parser.getLongValue());
        }
        expectUsage = false;
      }
      default -> expectUsage = false;
    }
  }

  private void count(String name, long n) {
    switch (name) {
      case "input_tokens", "prompt_tokens", "cache_creation_input_tokens", "cache_read_input_tokens" -> {
        objIn += n;
        sawIn = true;
      }
      case "output_tokens", "completion_tokens" -> {
        objOut += n;
        sawOut = true;
      }
      default -> {
        // totals and details are derived from the two above
      }
    }
  }
}
