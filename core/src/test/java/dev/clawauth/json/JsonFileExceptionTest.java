package dev.clawauth.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.clawauth.testing.TestSecrets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parse errors say where and what, in one line, without quoting a secret from the file. */
final class JsonFileExceptionTest {
  private static final Path FILE = Path.of("/state/agents/main/agent/auth-profiles.json");

  private static JsonFileException strict(String text) {
    return catchThrowableOfType(JsonFileException.class, () -> Json.parseStrict(FILE, text));
  }

  @Test
  void unquotedSecretIsNotQuotedBack() {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    JsonFileException e = strict("{\"key\": " + key + "}");
    assertThat(e.getMessage()).startsWith(FILE + ":1:9: ").doesNotContain(key).doesNotContain(key.substring(0, 10));
  }

  @Test
  void secretInAStringBeforeTheErrorIsNotQuotedBack() {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    JsonFileException e = strict("{\"key\": \"" + key + "\" \"next\": 1}");
    assertThat(e.getMessage()).doesNotContain(key).contains(":1:");
  }

  @Test
  void jacksonsExplanationStaysReadable() {
    JsonFileException e = strict("\uFEFF{}");
    assertThat(e.getMessage()).contains("expected a valid value")
        .contains("'null', 'true' or 'false'").doesNotContain("a token");
    assertThat(e.getMessage().lines()).hasSize(1);
  }
}
