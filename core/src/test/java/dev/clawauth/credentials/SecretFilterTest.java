package dev.clawauth.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.TestSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretFilterTest {

  @ParameterizedTest
  @ValueSource(strings = {"ANTHROPIC_KEY", "ANTHROPIC_TOKEN", "OAUTH_ACCESS", "OAUTH_REFRESH", "SPEC_OPENROUTER_KEY"})
  void aKeyShapedRunIsMaskedEvenWhenNobodySaidItWasOne(String name) {
    String key = TestSecrets.get(name);
    String shown = SecretFilter.scrub("Incorrect API key provided: " + key + ". See the docs.", List.of());
    assertThat(shown).doesNotContain(key).doesNotContain(key.substring(8, key.length() - 8))
        .startsWith("Incorrect API key provided: ").endsWith(". See the docs.");
  }

  @Test
  void aKnownSecretOfAnyShapeIsMasked() {
    String odd = "plainwordsonlynodigitshere";
    assertThat(SecretFilter.scrub("you sent " + odd, List.of(odd))).doesNotContain(odd);
  }

  @Test
  void jwtsAndLongHexAreMaskedAndOrdinaryWordsAreNot() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    String hex = "0123456789abcdef0123456789abcdef01";
    String text = "token " + jwt + " id " + hex + " model claude-opus-4-5-20251101 at https://docs.anthropic.com/x";
    String shown = SecretFilter.scrub(text, List.of());
    assertThat(shown).doesNotContain(jwt).doesNotContain(hex)
        .contains("model claude-opus-4-5-20251101").contains("https://docs.anthropic.com/x");
  }

  @Test
  void aShortMessageIsOneLineAndCutAfterMasking() {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    String shown = SecretFilter.shortMessage("x".repeat(180) + "\n" + key + "\u0007 and more", List.of());
    assertThat(shown).hasSizeLessThanOrEqualTo(SecretFilter.SHORT).doesNotContain("\n").doesNotContain("\u0007")
        .doesNotContain(key.substring(0, 20));
  }
}
