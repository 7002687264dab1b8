package dev.clawauth.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.credentials.KeyShapes.CredentialKind;
import org.junit.jupiter.api.Test;

final class KeyShapesTest {
  static final String SETUP = "sk-ant-oat01-" + "A".repeat(80);
  static final String ANTHROPIC_KEY = "sk-ant-api03-" + "B".repeat(60);

  @Test
  void acceptsWellFormedSecrets() {
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, SETUP, "")).isEmpty();
    assertThat(KeyShapes.problem("Anthropic ", CredentialKind.API_KEY, ANTHROPIC_KEY, "")).isEmpty();
    assertThat(KeyShapes.problem("openrouter", CredentialKind.API_KEY, "sk-or-v1-abc123", "")).isEmpty();
    assertThat(KeyShapes.problem("openai", CredentialKind.API_KEY, "sk-proj-abc", "")).isEmpty();
    assertThat(KeyShapes.problem("deepseek", CredentialKind.API_KEY, "sk-generic123", "")).as("bare sk- is not distinctive").isEmpty();
    assertThat(KeyShapes.problem("groq", CredentialKind.TOKEN, "anything-goes", "")).isEmpty();
  }

  @Test
  void setupTokenRulesOfTheLaterReleases() {
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, "  ", "")).get().asString().startsWith("Required");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, "bad-token", "")).get().asString()
        .startsWith("Expected token starting with sk-ant-oat01-");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, "sk-ant-oat01-" + "A".repeat(66), "")).get().asString()
        .startsWith("Token looks too short; paste the full setup-token");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, "sk-ant-oat01-" + "A".repeat(67), "")).isEmpty();
  }

  @Test
  void namesTheRightCommandForAMisplacedSecret() {
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, ANTHROPIC_KEY, " --agent work")).get().asString()
        .isEqualTo("This is an Anthropic API key (sk-ant-api03-…), not a token: store it with"
            + " `clawauth models auth paste-api-key --provider anthropic --agent work`.");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.API_KEY, SETUP, "")).get().asString()
        .contains("Anthropic setup-token").contains("paste-token --provider anthropic");
    assertThat(KeyShapes.problem("openai", CredentialKind.API_KEY, "sk-or-v1-x", "")).get().asString()
        .contains("OpenRouter API key").contains("not an openai API key").contains("--provider openrouter");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.API_KEY, "sk-proj-x", "")).get().asString()
        .contains("OpenAI project API key");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.API_KEY, "sk-ant-admin01-x", "")).get().asString()
        .contains("Admin API key");
    assertThat(KeyShapes.problem("openrouter", CredentialKind.TOKEN, "sk-or-v1-x", "")).get().asString()
        .contains("not a token").contains("paste-api-key --provider openrouter");
  }

  @Test
  void messagesNeverContainTheSecret() {
    String secret = "sk-or-v1-SECRETSECRETSECRET";
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, secret, "")).get().asString().doesNotContain("SECRET");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, "sk-ant-oat01-SECRETSECRET", "")).get().asString()
        .doesNotContain("SECRET");
    assertThat(KeyShapes.problem("anthropic", CredentialKind.TOKEN, "SECRET SECRET", "")).get().asString()
        .doesNotContain("SECRET");
  }

  @Test
  void prefixesAreTheOnesAnthropicIssues() {
    assertThat(KeyShapes.SETUP_TOKEN_PREFIX).isEqualTo("sk-ant-oat01-");
    assertThat(KeyShapes.ANTHROPIC_API_KEY_PREFIX).isEqualTo("sk-ant-api03-");
    assertThat(KeyShapes.isAnthropicOAuthToken("sk-ant-oat01-abc")).isTrue();
    assertThat(KeyShapes.isAnthropicOAuthToken("sk-ant-oat02-abc")).isTrue();
    assertThat(KeyShapes.isAnthropicOAuthToken("sk-ant-api03-abc")).isFalse();
  }
}
