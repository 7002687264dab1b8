package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class PastedCodeTest {

  @Test
  void fullRedirectUrl_givesCodeAndState() throws Exception {
    assertThat(PastedCode.parse("  http://localhost:1455/auth/callback?code=ab%2Fc&state=s1 \n"))
        .isEqualTo(new PastedCode("ab/c", "s1"));
  }

  @Test
  void codeHashState_queryString_andBareCode() throws Exception {
    assertThat(PastedCode.parse("abc#s1")).isEqualTo(new PastedCode("abc", "s1"));
    assertThat(PastedCode.parse("code=abc&state=s1")).isEqualTo(new PastedCode("abc", "s1"));
    assertThat(PastedCode.parse("?state=s1&code=abc")).isEqualTo(new PastedCode("abc", "s1"));
    assertThat(PastedCode.parse("abc")).isEqualTo(new PastedCode("abc", null));
  }

  @Test
  void emptyInput_orUrlWithoutCode_fails() {
    assertThatThrownBy(() -> PastedCode.parse("  ")).isInstanceOf(LoginException.class).hasMessageContaining("Nothing was pasted");
    assertThatThrownBy(() -> PastedCode.parse(null)).isInstanceOf(LoginException.class);
    assertThatThrownBy(() -> PastedCode.parse("http://localhost:1455/auth/callback?state=x"))
        .isInstanceOf(LoginException.class).hasMessageContaining("no authorization code");
  }

  @Test
  void errorRedirect_isReportedAsDenied() {
    assertThatThrownBy(() -> PastedCode.parse("http://localhost:1455/auth/callback?error=access_denied&state=s"))
        .isInstanceOf(LoginException.class).hasMessageContaining("denied").hasMessageContaining("access_denied");
  }

  @Test
  void checkState_failsOnlyWhenADifferentStateCameBack() throws Exception {
    assertThat(new PastedCode("c", null).checkState("s").code()).isEqualTo("c");
    assertThat(new PastedCode("c", "s").checkState("s").code()).isEqualTo("c");
    assertThatThrownBy(() -> new PastedCode("c", "t").checkState("s"))
        .isInstanceOf(LoginException.class).hasMessageContaining("State mismatch");
  }

  @Test
  void toString_hidesTheCode() {
    assertThat(new PastedCode("secret-code", "s").toString()).doesNotContain("secret-code");
  }
}
