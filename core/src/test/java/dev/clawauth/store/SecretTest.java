package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The masking rule of spec store.md, "What models status shows", at each boundary. */
final class SecretTest {

  @ParameterizedTest(name = "{0} chars -> {2}")
  @CsvSource(delimiter = '|', value = {
      "0  | ''                  | missing",
      "1  | a                   | a...a",
      "6  | abcdef              | a...f",
      "7  | abcdefg             | ab...fg",
      "16 | abcdefghijklmnop    | ab...op",
      "17 | abcdefghijklmnopq   | abcdefgh...jklmnopq",
  })
  void maskCutsAtTheSpecBoundaries(int length, String raw, String masked) {
    assertThat(raw).hasSize(length);
    assertThat(Secret.mask(raw)).isEqualTo(masked);
    assertThat(new Secret(raw).masked()).isEqualTo(masked);
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
