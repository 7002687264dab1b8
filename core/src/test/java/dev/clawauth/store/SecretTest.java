package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The masking rule of spec store.md, "What models status shows", at each boundary, except that
 * no more than half of a value is ever shown (OpenClaw shows 16 of a 17-character one).
 */
final class SecretTest {

  @ParameterizedTest(name = "{0} chars -> {2}")
  @CsvSource(delimiter = '|', value = {
      "0  | ''                                | missing",
      "1  | a                                 | ...",
      "3  | abc                               | ...",
      "4  | abcd                              | a...d",
      "6  | abcdef                            | a...f",
      "7  | abcdefg                           | a...g",
      "8  | abcdefgh                          | ab...gh",
      "16 | abcdefghijklmnop                  | ab...op",
      "17 | abcdefghijklmnopq                 | abcd...nopq",
      "24 | abcdefghijklmnopqrstuvwx          | abcdef...stuvwx",
      "32 | abcdefghijklmnopqrstuvwxyz012345  | abcdefgh...yz012345",
      "33 | abcdefghijklmnopqrstuvwxyz0123456 | abcdefgh...z0123456",
  })
  void maskCutsAtTheSpecBoundaries(int length, String raw, String masked) {
    assertThat(raw).hasSize(length);
    assertThat(Secret.mask(raw)).isEqualTo(masked);
    assertThat(new Secret(raw).masked()).isEqualTo(masked);
  }

  @Test
  void atMostHalfOfAnySecretIsShown() {
    for (int n = 1; n <= 200; n++) {
      String raw = "x".repeat(n);
      String masked = Secret.mask(raw);
      int shown = masked.length() - 3;
      assertThat(shown).as("length %d: %s", n, masked).isLessThanOrEqualTo(n / 2);
    }
  }

  @Test
  void maskOfTheSpecApiKeyMatchesWhat2026Printed() {
    assertThat(Secret.mask(TestSecrets.get("SPEC_ANTHROPIC_API_KEY"))).isEqualTo("sk-ant-a...KEFAKEAA");
    assertThat(Secret.mask(TestSecrets.get("SPEC_OPENROUTER_KEY"))).isEqualTo("sk-or-v1...FAKEFAKE");
  }

  @Test
  void blankAndNullAreMissing() {
    assertThat(Secret.mask("   ")).isEqualTo("missing");
    assertThat(Secret.mask(null)).isEqualTo("missing");
    assertThat(new Secret(null).isEmpty()).isTrue();
  }

  @Test
  void toStringNeverShowsTheValue() {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    Secret s = new Secret(key);
    assertThat(s.toString()).isEqualTo(Secret.mask(key)).doesNotContain(key.substring(8, key.length() - 8));
    assertThat(new Credential.ApiKey("anthropic", s, null).toString()).doesNotContain(key);
  }
}
