package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.AgentContext;
import dev.clawauth.status.StatusReport;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Older files (agent auth.json, credentials/oauth.json) are imported without ever losing newer data. */
final class LegacyImportTest {
  private static final long NOW = 1_795_415_000_000L;
  private static final String KEY = TestSecrets.get("LEGACY_KEY");
  private static final String ACCESS = TestSecrets.get("LEGACY_ACCESS");
  private static final String REFRESH = TestSecrets.get("LEGACY_REFRESH");

  @TempDir
  Path root;
  StateFixture f;

  @BeforeEach
  void setUp() throws IOException {
    f = new StateFixture(root);
  }

  private Path authJson() {
    return f.agentDir("main").resolve("auth.json");
  }

  private Path oauthJson() {
    return f.state.resolve("credentials/oauth.json");
  }

  private void writeAuthJson() throws IOException {
    StateFixture.write(authJson(), """
        {"anthropic": {"type": "api_key", "key": "%s"},
         "openai-codex": {"type": "oauth", "access": "%s", "refresh": "%s", "expires": %d, "accountId": "acc"}}
        """.formatted(KEY, ACCESS, REFRESH, NOW + 3_600_000));
  }

  private void writeOAuthJson() throws IOException {
    StateFixture.write(oauthJson(), """
        {"openai-codex": {"access": "%s", "refresh": "%s", "expires": %d}}
        """.formatted(ACCESS, REFRESH, NOW + 3_600_000));
  }

  private static void setOrder(AgentContext ctx, String provider, String id) throws Exception {
    ctx.store().update(doc -> {
      doc.setOrder(provider, List.of(id));
      return null;
    });
  }

  @Test
  void authJsonIsShownByStatusWithoutWritingAnything() throws Exception {
    writeAuthJson();
    AgentContext ctx = f.open(NOW);
    var report = StatusReport.build(ctx);
    assertThat(report.at("/auth/providers/0/profiles/labels/0").asText())
        .isEqualTo("anthropic:default=" + Secret.mask(KEY));
    assertThat(report.at("/auth/oauth/profiles/1/profileId").asText()).isEqualTo("openai-codex:default");
    assertThat(report.at("/auth/oauth/profiles/1/source").asText()).contains("legacy");
    assertThat(f.store("main")).doesNotExist();
    assertThat(authJson()).exists();
  }

  @Test
  void authJsonIsPersistedByTheFirstWriteAndDeletedOnlyAfterIt() throws Exception {
    writeAuthJson();
    AgentContext ctx = f.open(NOW);
    setOrder(ctx, "anthropic", "anthropic:default");

    StoreDocument stored = ctx.store().readStored();
    assertThat(stored.profiles()).containsOnlyKeys("anthropic:default", "openai-codex:default");
    assertThat(stored.profiles().get("anthropic:default"))
        .isEqualTo(new Credential.ApiKey("anthropic", new Secret(KEY), null));
    assertThat(stored.profiles().get("openai-codex:default")).isEqualTo(new Credential.OAuth("openai-codex",
        new Secret(ACCESS), new Secret(REFRESH), NOW + 3_600_000, "acc", null, null));
    assertThat(authJson()).doesNotExist();
  }

  @Test
  void authJsonStaysWhenTheWriteDoesNotHappen() throws Exception {
    writeAuthJson();
    AgentContext ctx = f.open(NOW);
    assertThatThrownBy(() -> ctx.store().update(doc -> {
      throw new IOException("refused by the mutation");
    })).hasMessageContaining("refused");
    assertThat(f.store("main")).doesNotExist();
    assertThat(authJson()).exists();
  }

  @Test
  void authJsonIsNotImportedOverAStoreThatHasProfiles() throws Exception {
    writeAuthJson();
    String mine = TestSecrets.get("ANTHROPIC_KEY_2");
    f.writeStore("main", """
        {"version":1,"profiles":{"anthropic:default":{"type":"api_key","provider":"anthropic","key":"%s"}}}
        """.formatted(mine));
    AgentContext ctx = f.open(NOW);
    assertThat(ctx.store().read().profiles()).containsOnlyKeys("anthropic:default");
    setOrder(ctx, "anthropic", "anthropic:default");
    Credential c = ctx.store().readStored().profiles().get("anthropic:default");
    assertThat(((Credential.ApiKey) c).key().value()).isEqualTo(mine);
    assertThat(ctx.store().readStored().profiles()).containsOnlyKeys("anthropic:default");
  }

  @Test
  void oauthJsonNeverOverwritesAnExistingProfileId() throws Exception {
    writeOAuthJson();
    String newer = TestSecrets.get("OAUTH_ACCESS");
    f.writeStore("main", """
        {"version":1,"profiles":{"openai-codex:default":{"type":"oauth","provider":"openai-codex",
          "access":"%s","refresh":"%s","expires":%d}}}
        """.formatted(newer, TestSecrets.get("OAUTH_REFRESH"), NOW + 7_200_000));
    AgentContext ctx = f.open(NOW);
    setOrder(ctx, "openai-codex", "openai-codex:default");
    var o = (Credential.OAuth) ctx.store().readStored().profiles().get("openai-codex:default");
    assertThat(o.access().value()).isEqualTo(newer);
    assertThat(o.expires()).isEqualTo(NOW + 7_200_000);
  }

  @Test
  void oauthJsonIsShownUntilTheFirstWriteThenPersisted() throws Exception {
    writeOAuthJson();
    AgentContext ctx = f.open(NOW);
    assertThat(ctx.store().read().profiles()).containsOnlyKeys("openai-codex:default");
    assertThat(ctx.store().pendingImports()).containsExactly("openai-codex:default");
    assertThat(f.store("main")).doesNotExist();

    setOrder(ctx, "openai-codex", "openai-codex:default");
    assertThat(ctx.store().readStored().profiles()).containsOnlyKeys("openai-codex:default");
    assertThat(ctx.store().pendingImports()).isEmpty();
    assertThat(oauthJson()).as("oauth.json is shared with 2026.1 and left alone").exists();
  }

  @Test
  void profileRemovedAfterImportIsNotResurrected() throws Exception {
    writeOAuthJson();
    AgentContext ctx = f.open(NOW);
    setOrder(ctx, "openai-codex", "openai-codex:default");
    ctx.store().update(doc -> doc.removeProfile("openai-codex:default"));

    assertThat(ctx.store().read().profiles()).isEmpty();
    AgentContext again = f.open(NOW + 1000);
    again.store().update(doc -> {
      doc.setLastGood("anthropic", "nothing");
      return null;
    });
    assertThat(again.store().readStored().profiles()).isEmpty();
    assertThat(again.store().read().profiles()).isEmpty();
  }

  @Test
  void oauthJsonIsNotMergedIntoAStoreThatOpenClawWrote() throws Exception {
    // What OpenClaw 2026.1 leaves after removing the imported profile: a store without it (and
    // without any key of Clawauth's). It merges oauth.json only when no store exists; so do we.
    writeOAuthJson();
    f.writeStore("main", """
        {"version":1,"profiles":{},"lastGood":{}}
        """);
    AgentContext ctx = f.open(NOW);
    assertThat(ctx.store().read().profiles()).isEmpty();
    assertThat(ctx.store().pendingImports()).isEmpty();
  }

  @Test
  void oauthJsonFollowsClawdbotOauthDir() throws Exception {
    Path elsewhere = root.resolve("elsewhere");
    StateFixture.write(elsewhere.resolve("oauth.json"), """
        {"openai-codex": {"access": "%s", "refresh": "%s", "expires": %d}}
        """.formatted(ACCESS, REFRESH, NOW + 3_600_000));
    f.set("CLAWDBOT_OAUTH_DIR", elsewhere.toString());
    assertThat(f.open(NOW).store().read().profiles()).containsOnlyKeys("openai-codex:default");
  }

  @Test
  void oauthJsonBelongsToTheDefaultAgentOnly() throws Exception {
    writeOAuthJson();
    assertThat(f.open("work", NOW).store().read().profiles()).isEmpty();
  }

  @Test
  void unparsableLegacyFileIsSkippedAndLeftAlone() throws Exception {
    StateFixture.write(authJson(), "{not json");
    AgentContext ctx = f.open(NOW);
    assertThat(ctx.store().read().profiles()).isEmpty();
    assertThat(ctx.store().legacyImport().orElseThrow().warnings()).singleElement().asString().contains(authJson().toString());
    setOrder(ctx, "anthropic", "anthropic:x");
    assertThat(Files.readString(authJson())).isEqualTo("{not json");
  }
}
