package dev.clawauth.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.gateway.upstream.ResponseParser.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answer parser on its own: every case is fed whole and in pieces down to single bytes, since
 * the network may split an answer anywhere.
 */
class ResponseParserTest {
  /** What the parser made of some bytes. */
  static final class Seen {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status;
    Map<String, List<String>> headers;
    IOException error;
    boolean reusable;

    String body() {
      return body.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Feeds {@code raw} {@code step} bytes at a time (then the end of the stream if {@code close}),
   * taking every event as a connection does, until the answer ends or fails.
   */
  static Seen feed(ResponseParser p, String raw, int step, boolean close) {
    byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
    Seen seen = new Seen();
    int off = 0;
    try {
      while (true) {
        if (drain(p, seen)) {
          return seen;
        }
        if (off == bytes.length) {
          if (close) {
            p.endOfStream();
            drain(p, seen);
          }
          return seen;
        }
        ByteBuffer room = p.room();
        int n = Math.min(Math.min(step, room.remaining()), bytes.length - off);
        room.put(bytes, off, n);
        p.received(n);
        off += n;
      }
    } catch (IOException e) {
      seen.error = e;
      seen.events.add("error");
      return seen;
    }
  }

  /** Takes events until more bytes are needed; true at the end of the answer. */
  private static boolean drain(ResponseParser p, Seen seen) throws IOException {
    while (true) {
      Event e = p.next();
      switch (e) {
        case MORE -> {
          return false;
        }
        case HEAD -> {
          seen.status = p.status();
          seen.headers = p.headers();
          seen.events.add("head");
        }
        case BODY -> {
          ByteBuffer b = p.body();
          seen.body.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
          b.position(b.limit());
          if (!seen.events.isEmpty() && seen.events.getLast().equals("body")) {
            seen.events.add("more body");
          } else {
            seen.events.add("body");
          }
          p.throwFault();
        }
        case END -> {
          seen.events.add("end");
          seen.reusable = p.reusable();
          return true;
        }
      }
    }
  }

  static Seen feed(String raw, int step) {
    return feed(new ResponseParser(), raw, step, false);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 1 << 20})
  void contentLength(int step) {
    Seen s = feed("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world", step);
    assertThat(s.error).isNull();
    assertThat(s.status).isEqualTo(200);
    assertThat(s.headers.get("content-type")).containsExactly("text/plain");
    assertThat(s.body()).isEqualTo("hello world");
    assertThat(s.events).startsWith("head", "body").endsWith("end");
    assertThat(s.reusable).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 1 << 20})
  void chunkedWithExtensionsAndTrailers(int step) {
    Seen s = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n6 ; name=\"v\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n", step);
    assertThat(s.error).isNull();
    assertThat(s.body()).isEqualTo("hello world");
    assertThat(s.headers).doesNotContainKey("x-trailer");
    assertThat(s.events).first().isEqualTo("head");
    assertThat(s.events).last().isEqualTo("end");
    assertThat(s.reusable).isTrue();
  }

  @Test
  void manySmallChunksThatArriveTogetherAreOneBody() {
    StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      String event = "data: " + i + "\n\n";
      raw.append(Integer.toHexString(event.length())).append("\r\n").append(event).append("\r\n");
      expected.append(event);
    }
    Seen s = feed(raw.append("0\r\n\r\n").toString(), 1 << 20);
    assertThat(s.body()).isEqualTo(expected.toString());
    assertThat(s.events).containsExactly("head", "body", "end");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 1 << 20})
  void closeDelimitedEndsWithTheStreamAndIsNotReusable(int step) {
    ResponseParser p = new ResponseParser();
    Seen s = feed(p, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", step, true);
    assertThat(s.error).isNull();
    assertThat(s.body()).isEqualTo("until the end");
    assertThat(s.events).first().isEqualTo("head");
    assertThat(s.events).last().isEqualTo("end");
    assertThat(s.reusable).isFalse();
  }

  @Test
  void aTransferCodingOtherThanChunkedIsCloseDelimited() {
    Seen s = feed(new ResponseParser(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", 1 << 20, true);
    assertThat(s.body()).isEqualTo("zz");
    assertThat(s.reusable).isFalse();
  }

  /**
   * A head that passes its Content-Length on must carry the body's: a length the transfer coding
   * overrides is dropped (RFC 9112 6.3), and repeated equal values become one number.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 1 << 20})
  void theContentLengthInTheHeadIsTheBodys(int step) {
    Seen both = feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "b\r\nhello world\r\n0\r\n\r\n", step);
    assertThat(both.body()).isEqualTo("hello world");
    assertThat(both.headers).doesNotContainKey("content-length");
    Seen repeated = feed("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok", step);
    assertThat(repeated.body()).isEqualTo("ok");
    assertThat(repeated.headers.get("content-length")).containsExactly("2");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1 << 20})
  void informationalAnswersAreSkipped(int step) {
    Seen s = feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone", step);
    assertThat(s.status).isEqualTo(200);
    assertThat(s.headers).doesNotContainKey("link");
    assertThat(s.events.stream().filter("head"::equals)).hasSize(1);
    assertThat(s.body()).isEqualTo("done");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"})
  void noBody(String raw) {
    Seen s = feed(raw, 1);
    assertThat(s.events).containsExactly("head", "end");
    assertThat(s.reusable).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1 << 20})
  void headerNamesLowerCaseFoldedLinesJoinedRepeatsKept(int step) {
    Seen s = feed("HTTP/1.1 201 Created\r\nCONTENT-length: 2\r\nX-Folded: a\r\n  b\r\n\tc\r\nX-Multi: 1\r\n"
        + "x-multi: 2\r\nno colon here\r\n\r\nok", step);
    assertThat(s.status).isEqualTo(201);
    assertThat(s.headers).containsOnlyKeys("content-length", "x-folded", "x-multi");
    assertThat(s.headers.get("x-folded")).containsExactly("a b c");
    assertThat(s.headers.get("x-multi")).containsExactly("1", "2");
    assertThat(s.body()).isEqualTo("ok");
  }

  @Test
  void bareLineFeedsAndHttp10() {
    Seen s = feed(new ResponseParser(), "HTTP/1.0 200 OK\nContent-Length: 2\n\nok", 1, false);
    assertThat(s.body()).isEqualTo("ok");
    assertThat(s.reusable).as("HTTP/1.0 closes").isFalse();
  }

  @Test
  void connectionCloseInAnyCaseIsNotReusable() {
    assertThat(feed("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 1\r\n\r\nx", 1).reusable)
        .isFalse();
  }

  @Test
  void bytesAfterTheAnswerMakeItNotReusable() {
    Seen s = feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1", 1 << 20);
    assertThat(s.body()).isEqualTo("x");
    assertThat(s.reusable).isFalse();
  }

  @Test
  void resetReadiesTheParserForTheNextAnswer() {
    ResponseParser p = new ResponseParser();
    assertThat(feed(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", 1, false).body())
        .isEqualTo("a");
    p.reset();
    Seen second = feed(p, "HTTP/1.1 429 X\r\nContent-Length: 1\r\n\r\nb", 1, false);
    assertThat(second.status).isEqualTo(429);
    assertThat(second.body()).isEqualTo("b");
    assertThat(second.reusable).isTrue();
  }

  @Test
  void aBodyLargerThanTheBufferArrivesWhole() {
    String big = "x".repeat(100_000);
    Seen s = feed("HTTP/1.1 200 OK\r\nContent-Length: " + big.length() + "\r\n\r\n" + big, 1 << 20);
    assertThat(s.body()).isEqualTo(big);
  }

  @Test
  void aLongHeaderLineGrowsTheBuffer() {
    String v = "v".repeat(40_000);
    Seen s = feed("HTTP/1.1 200 OK\r\nX-Long: " + v + "\r\nContent-Length: 0\r\n\r\n", 1 << 20);
    assertThat(s.headers.get("x-long")).containsExactly(v);
  }

  // ---- faults

  @ParameterizedTest
  @ValueSource(ints = {1, 1 << 20})
  void malformedAnswersAreIoErrors(int step) {
    assertThat(feed("HTTP/1.1 2x0 OK\r\n\r\n", step).error).hasMessageContaining("bad status code");
    assertThat(feed("SSH-2.0-OpenSSH\r\n", step).error).hasMessageContaining("not an HTTP/1.x response");
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", step).error)
        .hasMessageContaining("bad content-length");
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", step).error)
        .hasMessageContaining("bad content-length");
    Seen badChunk = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", step);
    assertThat(badChunk.error).hasMessage("bad chunk size from upstream");
    assertThat(badChunk.events).containsExactly("head", "error");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1 << 20})
  void whatCameBeforeAFaultIsDeliveredFirst(int step) {
    Seen s = feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", step);
    assertThat(s.body()).isEqualTo("abc");
    assertThat(s.error).hasMessage("chunk not followed by CRLF");
    assertThat(s.events.getLast()).isEqualTo("error");
    assertThat(s.events.get(s.events.size() - 2)).endsWith("body");
  }

  @Test
  void theEndOfTheStreamBeforeTheEndOfTheAnswerSaysWhere() {
    assertThat(feed(new ResponseParser(), "", 1, true).error)
        .hasMessage("upstream closed the connection before answering");
    assertThat(feed(new ResponseParser(), "HTTP/1.1 2", 1, true).error)
        .hasMessage("upstream closed the connection in the middle of a line");
    assertThat(feed(new ResponseParser(), "HTTP/1.1 200 OK\r\nA: b\r\n", 1, true).error)
        .hasMessage("upstream closed the connection in the middle of the head");
    Seen shortBody = feed(new ResponseParser(), "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1 << 20, true);
    assertThat(shortBody.body()).isEqualTo("abc");
    assertThat(shortBody.error).hasMessage("upstream closed the connection 7 bytes before the end");
    assertThat(feed(new ResponseParser(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nev", 1, true)
        .error).hasMessage("upstream closed the connection mid-chunk");
    assertThat(feed(new ResponseParser(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nev\r\n", 1, true)
        .error).hasMessage("upstream closed the connection mid-body");
  }

  @Test
  void limits() {
    assertThat(feed("HTTP/1.1 200 OK\r\nX-Long: " + "v".repeat(70_000), 1 << 20).error)
        .hasMessage("upstream header line too long");
    StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 300; i++) {
      many.append("X-").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
    }
    assertThat(feed(many.toString(), 1 << 20).error).hasMessage("upstream response headers too large");
  }
}
