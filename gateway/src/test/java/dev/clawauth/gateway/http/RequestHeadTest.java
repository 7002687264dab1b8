package dev.clawauth.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of request heads, complete and cut short. */
class RequestHeadTest {
  private static RequestHead parse(String head) throws BadRequest {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return RequestHead.parse(b, 0, b.length);
  }

  private static RequestHead partial(String bytes) {
    byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
    return RequestHead.partial(b, 0, b.length);
  }

  @Test
  void parsesRequestLineAndHeaders() throws Exception {
    RequestHead h = parse("POST /v1/messages?beta=true HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type:application/json\r\nX-Twice: one\r\nx-twice:  two  \r\n\r\n");
    assertThat(h.method()).isEqualTo("POST");
    assertThat(h.target()).isEqualTo("/v1/messages?beta=true");
    assertThat(h.path()).isEqualTo("/v1/messages");
    assertThat(h.http11()).isTrue();
    assertThat(h.headers().first("host")).isEqualTo("localhost");
    assertThat(h.headers().first("CONTENT-TYPE")).isEqualTo("application/json");
    assertThat(h.headers().all("X-Twice")).containsExactly("one", "two");
    assertThat(h.headers().asMap()).containsOnlyKeys("host", "content-type", "x-twice");
  }

  @Test
  void acceptsBareLfLineEndsAndLeadingEmptyLines() throws Exception {
    RequestHead h = parse("\r\nGET /x HTTP/1.0\nA: b\n\n");
    assertThat(h.method()).isEqualTo("GET");
    assertThat(h.path()).isEqualTo("/x");
    assertThat(h.http11()).isFalse();
    assertThat(h.headers().first("a")).isEqualTo("b");
  }

  @Test
  void decodesPathsAndTakesThePathOfAbsoluteForm() throws Exception {
    assertThat(parse("GET /a%20b/%C3%A9?q=%20#frag HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/a b/é");
    assertThat(parse("GET http://example.com:8080/v1/models?x=1 HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/v1/models");
    assertThat(parse("GET http://example.com HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("/");
    assertThat(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").path()).isEqualTo("*");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GARBAGE\r\n\r\n",
      "GET / \r\n\r\n",
      " / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.2\r\n\r\n",
      "GET / http/1.1\r\n\r\n",
      "GET /a b HTTP/1.1\r\n\r\n",
      "GET relative HTTP/1.1\r\n\r\n",
      "GET /%zz HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost\t: x\r\n\r\n",
      "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
      "GET / HTTP/1.1\r\nA: b\r\n\tfolded\r\n\r\n",
      "GET / HTTP/1.1\r\nno colon\r\n\r\n",
      "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
      "GET / HTTP/1.1\r\nX: bare\rcr\r\n\r\n",
      "GET / HTTP/1.1\r\nX: nul\u0000byte\r\n\r\n",
      "GET /\ra HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nX: esc\u001bbyte\r\n\r\n",
      "GET / HTTP/1.1\r\nX: del\u007fbyte\r\n\r\n",
      "GET / HTTP/1.1\r\nX: trailing-lf-as-value\u000b\r\n\r\n"})
  void refusesMalformedHeads(String head) {
    assertThatThrownBy(() -> parse(head)).isInstanceOf(BadRequest.class);
  }

  @Test
  void errorMessagesShowOnlyPrintableCharacters() {
    assertThatThrownBy(() -> parse("GET / HTTP/9\u00e9\u00ff[31m-very-long-version-string\r\n\r\n"))
        .hasMessageStartingWith("unsupported protocol version HTTP/9??[31m")
        .hasMessageNotContaining("\u00e9");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nX: a\u001b[31m\r\n\r\n"))
        .hasMessage("a control byte 0x1B in the request head");
  }

  @Test
  void exactlyOneHostUnlessHttp10() throws Exception {
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").checkHost())
        .hasMessage("several Host header fields");
    assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n\r\n").checkHost())
        .hasMessage("an HTTP/1.1 request without a Host header field");
    parse("GET / HTTP/1.0\r\n\r\n").checkHost();
    parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n").checkHost();
  }

  @Test
  void partialHeadKeepsTheRequestLineAndWholeHeaderLines() {
    RequestHead h = partial("PUT /p?x HTTP/1.1\r\nHost: h\r\nX-Cut: ha");
    assertThat(h.method()).isEqualTo("PUT");
    assertThat(h.path()).isEqualTo("/p");
    assertThat(h.headers().first("host")).isEqualTo("h");
    assertThat(h.headers().has("x-cut")).isFalse();
  }

  @Test
  void partialHeadWithoutACompleteRequestLineIsEmpty() {
    assertThat(partial("GET /sl")).isEqualTo(RequestHead.NONE);
    assertThat(partial("")).isEqualTo(RequestHead.NONE);
    assertThat(partial("NONSENSE\r\nHost: h\r\n")).isEqualTo(RequestHead.NONE);
    assertThat(RequestHead.NONE.path()).isEmpty();
    assertThat(RequestHead.NONE.method()).isEmpty();
  }
}
