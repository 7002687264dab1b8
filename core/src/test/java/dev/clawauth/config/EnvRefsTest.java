package dev.clawauth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EnvRefsTest {
  private static final Map<String, String> SET = Map.of("BASE", "https://llm.internal", "KEY", "k-123", "EMPTY", "");
  private static final Function<String, Optional<String>> VARS = name -> Optional.ofNullable(SET.get(name));

  @Test
  void referencesAreReplacedInlineAndTextWithoutThemIsKept() {
    assertThat(EnvRefs.resolve("${BASE}/v1", VARS)).isEqualTo(new EnvRefs.Resolved("https://llm.internal/v1", java.util.List.of()));
    assertThat(EnvRefs.resolve("Bearer ${KEY}${KEY}", VARS).value()).isEqualTo("Bearer k-123k-123");
    assertThat(EnvRefs.resolve("plain-$-text {KEY}", VARS).value()).isEqualTo("plain-$-text {KEY}");
  }

  @Test
  void anUnsetOrEmptyVariableLeavesTheValueUnresolvedAndIsNamed() {
    EnvRefs.Resolved r = EnvRefs.resolve("${NOPE}-${EMPTY}-${KEY}", VARS);
    assertThat(r.ok()).isFalse();
    assertThat(r.missing()).containsExactly("NOPE", "EMPTY");
    assertThat(r.asOptional()).isEmpty();
    assertThat(r.unset()).startsWith("refers to ${NOPE}, ${EMPTY}, which are not set");
  }

  @Test
  void anEscapedReferenceIsLiteralAndLowerCaseNamesAreNotReferences() {
    assertThat(EnvRefs.resolve("$${KEY} ${key}", VARS)).isEqualTo(new EnvRefs.Resolved("${KEY} ${key}", java.util.List.of()));
  }
}
