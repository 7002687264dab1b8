package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class LoginProvidersTest {
  final LoginProviders all = LoginProviders.load();

  @Test
  void serviceLoader_findsTheBuiltIns() throws Exception {
    assertThat(all.problems()).isEmpty();
    assertThat(all.find("openai-codex", null)).isInstanceOf(OpenAICodexProvider.class);
    assertThat(all.find("Anthropic", null)).isInstanceOf(AnthropicTokenLogin.SetupToken.class);
    assertThat(all.find("anthropic", "api-key")).isInstanceOf(AnthropicTokenLogin.ApiKey.class);
    assertThat(all.find("anthropic", "oauth")).isInstanceOf(AnthropicOAuthProvider.class);
    assertThat(all.refresher("openai-codex")).containsInstanceOf(OpenAICodexProvider.class);
    assertThat(all.refresher("anthropic")).containsInstanceOf(AnthropicOAuthProvider.class);
    assertThat(all.refresher("openrouter")).isEmpty();
  }

  @Test
  void unknownProviderOrMethod_namesWhatExists() {
    assertThatThrownBy(() -> all.find("acme", null)).isInstanceOf(LoginException.class)
        .hasMessageContaining("\"acme\"").hasMessageContaining("openai-codex");
    assertThatThrownBy(() -> all.find("anthropic", "magic")).isInstanceOf(LoginException.class)
        .hasMessageContaining("setup-token, api-key, oauth");
  }

  @Test
  void setupTokenShape_isChecked() {
    assertThat(AnthropicTokenLogin.checkSetupToken("")).isEqualTo("Required");
    assertThat(AnthropicTokenLogin.checkSetupToken("sk-ant-api03-" + "x".repeat(90))).startsWith("Expected token starting with");
    assertThat(AnthropicTokenLogin.checkSetupToken("sk-ant-oat01-short")).startsWith("Token looks too short");
    assertThat(AnthropicTokenLogin.checkSetupToken("sk-ant-oat01-" + "x".repeat(70))).isNull();
  }
}
