package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

final class PkceTest {

  @Test
  void challengeOf_matchesTheRfc7636Example() {
    assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void generate_makes32ByteVerifier_itsChallenge_and16ByteHexState() {
    Pkce a = Pkce.generate(new SecureRandom());
    Pkce b = Pkce.generate(new SecureRandom());
    assertThat(a.verifier()).matches("[A-Za-z0-9_-]{43}");
    assertThat(a.challenge()).isEqualTo(Pkce.challengeOf(a.verifier()));
    assertThat(a.state()).matches("[0-9a-f]{32}");
    assertThat(a.verifier()).isNotEqualTo(b.verifier());
    assertThat(a.state()).isNotEqualTo(b.state());
    assertThat(a.toString()).doesNotContain(a.verifier());
  }
}
