package dev.clawauth.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile and split input for the request reader: whatever bytes arrive, in whatever pieces, it
 * parses requests or refuses with a 4xx (a {@link BadRequest} is a 400), never throws anything
 * else and never stops asking for bytes it has no room for; and a valid request cut anywhere
 * parses exactly as it does whole.
 */
class RequestReaderFuzzTest {
  private static final int MAX_HEAD = 2048;
  private static final int MAX_BODY = 4096;

  /** What one run of the reader gave: the requests parsed, and the refusal that ended it, if any. */
  record Run(List<String> requests, Integer refused) {}

  /** Feeds {@code input} in pieces of the sizes in {@code cuts} (cycled) and parses after each. */
  static Run feed(byte[] input, List<Integer> cuts) {
    RequestReader r = new RequestReader(MAX_HEAD, MAX_BODY);
    List<String> requests = new ArrayList<>();
    int fed = 0;
    int piece = 0;
    // Each turn parses or takes at least one byte; more turns than that is a reader going round in circles.
    for (int turns = 0; turns < 4 * (input.length + 10); turns++) {
      int state;
      try {
        state = r.parse();
      } catch (RequestReader.Refused refused) {
        assertThat(refused.status).as(refused.getMessage()).isIn(400, 413, 431);
        assertThat(refused.getMessage()).isNotBlank();
        return new Run(requests, refused.status);
      }
      if (state == RequestReader.COMPLETE) {
        RequestHead h = r.head();
        requests.add(h.method() + " " + h.target() + " " + h.headers().asMap() + " "
            + new String(r.body(), StandardCharsets.ISO_8859_1));
        r.next();
        continue;
      }
      if (state == RequestReader.HEAD) {
        continue;
      }
      if (fed == input.length) {
        return new Run(requests, null);
      }
      ByteBuffer room = r.room(false);
      if (room == null) {
        fail("the reader needs more bytes but has no room for them, after " + fed + " of " + input.length);
      }
      int n = Math.min(Math.min(room.remaining(), input.length - fed), cuts.get(piece++ % cuts.size()));
      room.put(input, fed, n);
      r.filled(n);
      fed += n;
    }
    return fail("the reader made no progress on " + input.length + " bytes");
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(1, 97).list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 800)
  void arbitraryBytesParseOrAreRefused(@ForAll @Size(max = 2500) byte[] input, @ForAll("cuts") List<Integer> cuts) {
    feed(input, cuts);
  }

  /** Fragments of requests, spliced at random: closer to HTTP than random bytes, so they reach the body states. */
  @Provide
  Arbitrary<byte[]> httpLike() {
    Arbitrary<String> fragments = Arbitraries.of("POST / HTTP/1.1\r\n", "GET /x HTTP/1.0\r\n", "Host: h\r\n",
        "Content-Length: 5\r\n", "Content-Length: 99999\r\n", "Transfer-Encoding: chunked\r\n", "\r\n", "\n", "\r",
        "5\r\nhello\r\n", "0\r\n\r\n", "ffff\r\n", "1;ext=1\r\n", "x\r\n", "Trailer: t\r\n", ": \r\n", "\t", " ",
        "\u0000", "\u007f", "\u00ff", "Expect: 100-continue\r\n", "Host: a\r\nHost: b\r\n", "-1\r\n");
    return fragments.list().ofMaxSize(30).map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 1500)
  void httpLikeFragmentsParseOrAreRefused(@ForAll("httpLike") byte[] input, @ForAll("cuts") List<Integer> cuts) {
    feed(input, cuts);
  }

  /** One valid request: a fixed or chunked body, a few headers, maybe a trailer. */
  @Provide
  Arbitrary<byte[]> validRequests() {
    Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(p -> "/" + p);
    Arbitrary<String> body = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300);
    Arbitrary<Boolean> chunked = Arbitraries.of(true, false);
    Arbitrary<Integer> chunk = Arbitraries.integers().between(1, 64);
    Arbitrary<List<String>> extra = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
        .list().ofMaxSize(4);
    return Combinators.combine(path, body, chunked, chunk, extra).as((p, b, isChunked, size, names) -> {
      StringBuilder sb = new StringBuilder("POST " + p + " HTTP/1.1\r\nHost: gateway\r\n");
      for (String n : names) {
        sb.append("X-").append(n).append(": v\t").append(n).append("\r\n");
      }
      if (!isChunked) {
        sb.append("Content-Length: ").append(b.length()).append("\r\n\r\n").append(b);
      } else {
        sb.append("Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < b.length(); i += size) {
          String part = b.substring(i, Math.min(b.length(), i + size));
          sb.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        sb.append("0\r\nX-Trailer: t\r\n\r\n");
      }
      return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    });
  }

  @Property(tries = 800)
  void validRequestsCutAnywhereParseAsTheyDoWhole(@ForAll("validRequests") byte[] one, @ForAll("validRequests") byte[] two,
      @ForAll("cuts") List<Integer> cuts) throws Exception {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(one);
    both.write(two);
    byte[] pipelined = both.toByteArray();
    Run whole = feed(pipelined, List.of(Integer.MAX_VALUE));
    assertThat(whole.refused()).isNull();
    assertThat(whole.requests()).hasSize(2);
    assertThat(feed(pipelined, cuts)).isEqualTo(whole);
  }

  @Property(tries = 800)
  void aValidRequestWithOneByteChangedParsesOrIsRefused(@ForAll("validRequests") byte[] request,
      @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll byte to, @ForAll("cuts") List<Integer> cuts) {
    byte[] changed = request.clone();
    changed[where % changed.length] = to;
    feed(changed, cuts);
  }
}
