package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which provider id ChatGPT (Codex) OAuth has in each era, and what an {@code openai} profile is. */
class CodexIdsTest {
  static final Credential OPENAI_OAUTH = new Credential.OAuth("openai", new Secret("eyFAKE-access-codex-ids-0001"),
      new Secret("rt-FAKE-codex-ids-0001"), 1L, "acct-1", null, null);
  static final Credential OPENAI_KEY = new Credential.ApiKey("openai", new Secret("sk-proj-TEST-codex-ids-key-0001"), null);

  @Test
  void openClaw9StoresCodexAsOpenaiAndTheFileErasKeepOpenaiCodex() {
    assertThat(CodexIds.stored(StoreKind.SQLITE)).isEqualTo("openai");
    assertThat(CodexIds.stored(StoreKind.FILE)).isEqualTo("openai-codex");
    assertThat(CodexIds.stored(StoreKind.POSTGRES)).isEqualTo("openai-codex");
    assertThat(CodexIds.defaultModel(StoreKind.SQLITE)).startsWith("openai/");
    assertThat(CodexIds.defaultModel(StoreKind.FILE)).isEqualTo("openai-codex/gpt-5.2");
  }

  @Test
  void anOpenaiOAuthProfileIsCodexOnlyInTheSqliteEraAndAnApiKeyNever() {
    assertThat(CodexIds.isCodexOAuth(StoreKind.SQLITE, OPENAI_OAUTH)).isTrue();
    assertThat(CodexIds.isCodexOAuth(StoreKind.FILE, OPENAI_OAUTH)).isFalse();
    assertThat(CodexIds.isCodexOAuth(StoreKind.SQLITE, OPENAI_KEY)).isFalse();
    // A legacy openai-codex profile is still Codex wherever it is found.
    assertThat(CodexIds.isCodexOAuth(StoreKind.SQLITE, " OpenAI-Codex ")).isTrue();
    assertThat(CodexIds.isCodexOAuth(StoreKind.FILE, "openai-codex")).isTrue();
    assertThat(CodexIds.isCodexOAuth(StoreKind.SQLITE, "anthropic")).isFalse();
  }

  @Test
  void theCodexFlowRefreshesAndLogsInForOpenaiOAuthOnOpenClaw9() {
    assertThat(CodexIds.oauthFlow(StoreKind.SQLITE, "openai")).isEqualTo("openai-codex");
    assertThat(CodexIds.oauthFlow(StoreKind.FILE, "openai")).isEqualTo("openai");
    assertThat(CodexIds.oauthFlow(StoreKind.SQLITE, "Anthropic")).isEqualTo("anthropic");
    assertThat(CodexIds.loginFlow(StoreKind.SQLITE, "openai", null)).isEqualTo("openai-codex");
    assertThat(CodexIds.loginFlow(StoreKind.SQLITE, "openai", "OAuth")).isEqualTo("openai-codex");
    assertThat(CodexIds.loginFlow(StoreKind.SQLITE, "openai", "api-key")).isEqualTo("openai");
    assertThat(CodexIds.loginFlow(StoreKind.FILE, "openai", null)).isEqualTo("openai");
    assertThat(CodexIds.loginFlow(StoreKind.SQLITE, "openai-codex", null)).isEqualTo("openai-codex");
  }

  @Test
  void aLegacyOpenaiCodexIdBecomesOpenaiOnTheSqliteStoreOnly() {
    assertThat(CodexIds.profileId(StoreKind.SQLITE, "openai-codex:work")).isEqualTo("openai:work");
    assertThat(CodexIds.profileId(StoreKind.SQLITE, "openai:work")).isEqualTo("openai:work");
    assertThat(CodexIds.profileId(StoreKind.SQLITE, "mine")).isEqualTo("mine");
    assertThat(CodexIds.profileId(StoreKind.FILE, "openai-codex:work")).isEqualTo("openai-codex:work");
    Credential legacy = new Credential.OAuth("openai-codex", new Secret("eyFAKE-access-codex-ids-0002"),
        new Secret("rt-FAKE-codex-ids-0002"), 1L, "acct-1", null, null);
    assertThat(CodexIds.isLegacyOnOpenClaw9(StoreKind.SQLITE, legacy)).isTrue();
    assertThat(CodexIds.isLegacyOnOpenClaw9(StoreKind.FILE, legacy)).isFalse();
    assertThat(CodexIds.isLegacyOnOpenClaw9(StoreKind.SQLITE, OPENAI_OAUTH)).isFalse();
  }
}
