package dev.clawauth.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadersTest {
  private static Headers with(String name, String... values) {
    Headers h = new Headers();
    for (String v : values) {
      h.add(name, v);
    }
    return h;
  }

  @Test
  void hasTokenFindsAnElementOfAnyValueIgnoringCaseAndSpaces() {
    assertThat(with("Connection", "close").hasToken("connection", "close")).isTrue();
    assertThat(with("connection", " Keep-Alive ,\tCLOSE ").hasToken("Connection", "close")).isTrue();
    assertThat(with("connection", "upgrade", "te, close").hasToken("connection", "close")).isTrue();
    assertThat(with("connection", ",,close,").hasToken("connection", "close")).isTrue();
  }

  @Test
  void hasTokenWantsTheWholeElement() {
    assertThat(with("connection", "closed").hasToken("connection", "close")).isFalse();
    assertThat(with("connection", "x-close, clos").hasToken("connection", "close")).isFalse();
    assertThat(with("connection", "close keep").hasToken("connection", "close")).isFalse();
    assertThat(with("connection", "").hasToken("connection", "close")).isFalse();
    assertThat(with("connection", "close").hasToken("expect", "close")).isFalse();
  }
}
