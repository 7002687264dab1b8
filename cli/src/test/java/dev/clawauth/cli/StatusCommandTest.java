package dev.clawauth.cli;

import dev.clawauth.testing.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models status} on the real jar: exit codes of --check, sources, state dirs, legacy files. */
final class StatusCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HOUR = 3_600_000L;

  @TempDir
  Path tmp;
  Scenario s;

  @BeforeEach
  void setUp() throws Exception {
    s = new Scenario(tmp);
  }

  private JsonNode json(ClawauthProcess.Result r) throws Exception {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return JSON.readTree(r.stdout());
  }

  private void tokenStore(String... idAndExpires) throws Exception {
    StringBuilder profiles = new StringBuilder();
    for (int i = 0; i < idAndExpires.length; i += 2) {
      profiles.append(i == 0 ? "" : ",\n").append("""
          "%s": {"type": "token", "provider": "anthropic", "token": "%s"%s}"""
          .formatted(idAndExpires[i], TestSecrets.get(i == 0 ? "ANTHROPIC_TOKEN" : "ANTHROPIC_TOKEN_2"),
              idAndExpires[i + 1].isEmpty() ? "" : ", \"expires\": " + idAndExpires[i + 1]));
    }
    s.writeStore("{\"version\": 1, \"profiles\": {" + profiles + "}}\n");
  }

  @Test
  void emptyStateReportsMissingAnthropicChecksOneAndWritesNothing() throws Exception {
    var r = s.run("models", "status", "--check");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).contains("Missing auth").contains("- anthropic");
    assertThat(r.stderr()).isEmpty();
    assertThat(s.state).as("status writes nothing").doesNotExist();
  }

  @Test
  void checkIsZeroWithOnlyAnEnvironmentKeyWhichIsShownMasked() throws Exception {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    s.clawauth.env("ANTHROPIC_API_KEY", key);
    var r = s.run("models", "status", "--check");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("- anthropic effective=env:" + "sk-ant-a...UiOpAsDfGh".substring(0, 8))
        .contains("source=env: ANTHROPIC_API_KEY").doesNotContain(key);
  }

  @Test
  void aProvidersKeyInTheConfigCountsAsItsAuthAndOneNamingAnUnsetVariableDoesNot() throws Exception {
    String key = TestSecrets.get("MINIMAX_CONFIG_KEY");
    s.writeConfig("openclaw.json", """
        {agents: {defaults: {model: {primary: 'minimax/MiniMax-M2'}}},
         models: {providers: {minimax: {baseUrl: 'https://api.minimax.io/anthropic', api: 'anthropic-messages',
           apiKey: '${MM_CONFIG_KEY}', models: []}}}}
        """);
    var unset = s.run("models", "status", "--check");
    assertThat(unset.exitCode()).as(unset.toString()).isEqualTo(1);
    assertThat(unset.stdout()).contains("Missing auth").contains("- minimax")
        .contains("no credential: models.providers.minimax.apiKey refers to ${MM_CONFIG_KEY}, which is not set");

    s.clawauth.env("MM_CONFIG_KEY", key);
    var r = s.run("models", "status", "--check");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("- minimax effective=models.json:" + dev.clawauth.store.Secret.mask(key))
        .contains("source=models.providers.minimax.apiKey in " + s.state.resolve("openclaw.json"))
        .doesNotContain(key);
    var json = s.run("models", "status", "--json");
    assertThat(json.stdout()).contains("\"kind\": \"models.json\"").doesNotContain(key);
  }

  @Test
  void checkIsTwoForATokenExpiringWithin24Hours() throws Exception {
    tokenStore("anthropic:tok", String.valueOf(System.currentTimeMillis() + 10 * 60_000));
    var r = s.run("models", "status", "--check");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stdout()).contains("anthropic:tok expiring expires in 10m").contains("Check: WARN");
  }

  @Test
  void checkIsOneForTheOnlyTokenExpiredAndTwoBesideAStaticToken() throws Exception {
    String past = String.valueOf(System.currentTimeMillis() - HOUR);
    tokenStore("anthropic:tok", past);
    assertThat(s.run("models", "status", "--check").exitCode()).isEqualTo(1);
    tokenStore("anthropic:tok", past, "anthropic:manual", "");
    var r = s.run("models", "status", "--check");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
  }

  @Test
  void checkIsZeroForAnExpiredOauthThatHoldsARefreshTokenAndOneWithoutIt() throws Exception {
    String oauth = """
        {"version": 1, "profiles": {"anthropic:o": {"type": "oauth", "provider": "anthropic",
          "access": "%s", "refresh": "%s", "expires": %d}}}
        """;
    long past = System.currentTimeMillis() - HOUR;
    s.writeStore(oauth.formatted(TestSecrets.get("OAUTH_ACCESS"), TestSecrets.get("OAUTH_REFRESH"), past));
    var renews = s.run("models", "status", "--check");
    assertThat(renews.exitCode()).as(renews.toString()).isZero();
    assertThat(renews.stdout()).contains("(renews itself on use)");
    s.writeStore(oauth.formatted(TestSecrets.get("OAUTH_ACCESS"), "", past));
    assertThat(s.run("models", "status", "--check").exitCode()).isEqualTo(1);
  }

  @Test
  void withoutCheckTheExitCodeIsZeroEvenWhenAuthIsMissing() throws Exception {
    assertThat(s.run("models", "status").exitCode()).isZero();
    assertThat(s.run("models", "status", "--json").exitCode()).isZero();
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitOneNotTwo() throws Exception {
    var r = s.run("models", "status", "--bogus");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("--bogus");
  }

  @Test
  void sourcesFollowPrecedenceAndEachShowsWhereItCameFrom() throws Exception {
    Path cwd = Files.createDirectories(tmp.resolve("cwd"));
    s.clawauth.workingDir(cwd).env("OPENAI_API_KEY", TestSecrets.get("OPENAI_KEY"));
    s.write(cwd.resolve(".env"), "OPENAI_API_KEY=" + TestSecrets.get("OPENAI_KEY_CWD") + "\nGEMINI_API_KEY="
        + TestSecrets.get("OPENAI_KEY_CWD") + "\n");
    s.write(s.state.resolve(".env"), "GEMINI_API_KEY=" + TestSecrets.get("OPENAI_KEY_STATE") + "\nOPENROUTER_API_KEY="
        + TestSecrets.get("OPENAI_KEY_STATE") + "\n");
    s.writeConfig("openclaw.json", "{env: {vars: {OPENROUTER_API_KEY: '" + TestSecrets.get("OPENAI_KEY_CONFIG")
        + "', XAI_API_KEY: '" + TestSecrets.get("OPENAI_KEY_CONFIG") + "'}}}");
    JsonNode auth = json(s.run("models", "status", "--json")).path("auth");
    java.util.Map<String, String> sources = new java.util.TreeMap<>();
    java.util.Map<String, String> values = new java.util.TreeMap<>();
    auth.path("providers").forEach(p -> {
      sources.put(p.path("provider").asText(), p.at("/env/source").asText());
      values.put(p.path("provider").asText(), p.at("/env/value").asText());
    });
    assertThat(sources).containsExactly(
        java.util.Map.entry("google", "env: GEMINI_API_KEY (" + cwd.resolve(".env") + ")"),
        java.util.Map.entry("openai", "env: OPENAI_API_KEY"),
        java.util.Map.entry("openrouter", "env: OPENROUTER_API_KEY (" + s.state.resolve(".env") + ")"),
        java.util.Map.entry("xai", "config env: XAI_API_KEY"));
    assertThat(values.get("openai")).isEqualTo(dev.clawauth.store.Secret.mask(TestSecrets.get("OPENAI_KEY")));
    assertThat(values.get("google")).isEqualTo(dev.clawauth.store.Secret.mask(TestSecrets.get("OPENAI_KEY_CWD")));
  }

  @Test
  void loginShellImportIsListedInAppliedKeys() throws Exception {
    Path shell = s.write(tmp.resolve("fake-shell"), "#!/bin/sh\nprintf 'OPENAI_API_KEY=%s\\0'\n"
        .formatted(TestSecrets.get("OPENAI_KEY_SHELL")));
    Files.setPosixFilePermissions(shell, PosixFilePermissions.fromString("rwx------"));
    s.clawauth.env("SHELL", shell.toString()).env("OPENCLAW_LOAD_SHELL_ENV", "1");
    JsonNode auth = json(s.run("models", "status", "--json")).path("auth");
    assertThat(auth.path("shellEnvFallback").toString())
        .isEqualTo("{\"enabled\":true,\"appliedKeys\":[\"OPENAI_API_KEY\"]}");
    assertThat(auth.at("/providers/0/provider").asText()).isEqualTo("openai");
    assertThat(auth.at("/providers/0/env/source").asText()).isEqualTo("shell env: OPENAI_API_KEY");
  }

  @Test
  void clawdbotStateDirAndLegacyHomeDirAreFound() throws Exception {
    Path legacy = s.home.resolve(".clawdbot");
    s.write(legacy.resolve("agents/main/agent/auth-profiles.json"), s.example("auth-profiles.after-onboard.json"));
    s.clawauth.env("OPENCLAW_STATE_DIR", null);
    JsonNode legacyRun = json(s.run("models", "status", "--json"));
    assertThat(legacyRun.at("/auth/storePath").asText())
        .isEqualTo(legacy.resolve("agents/main/agent/auth-profiles.json").toString());

    Files.createDirectories(s.home.resolve(".openclaw"));
    assertThat(json(s.run("models", "status", "--json")).at("/auth/storePath").asText())
        .isEqualTo(s.home.resolve(".openclaw/agents/main/agent/auth-profiles.json").toString());

    s.clawauth.env("CLAWDBOT_STATE_DIR", "~/.clawdbot");
    assertThat(json(s.run("models", "status", "--json")).at("/auth/providers/0/profiles/count").asInt()).isEqualTo(1);
  }

  @Test
  void agentDirOverrideAppliesToTheDefaultAgentOnly() throws Exception {
    Path elsewhere = tmp.resolve("elsewhere");
    s.clawauth.env("CLAWDBOT_AGENT_DIR", elsewhere.toString());
    assertThat(json(s.run("models", "status", "--json")).path("agentDir").asText()).isEqualTo(elsewhere.toString());
    assertThat(json(s.run("models", "status", "--json", "--agent", "work")).path("agentDir").asText())
        .isEqualTo(s.agentDir("work").toString());
  }

  @Test
  void legacyAuthJsonIsShownWithoutWritingThenPersistedByOrderSet() throws Exception {
    Path authJson = s.write(s.agentDir("main").resolve("auth.json"),
        "{\"anthropic\": {\"type\": \"api_key\", \"key\": \"" + TestSecrets.get("LEGACY_KEY") + "\"}}\n");
    var status = s.run("models", "status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.stdout()).contains("anthropic:default=" + dev.clawauth.store.Secret.mask(TestSecrets.get("LEGACY_KEY")));
    assertThat(s.store()).doesNotExist();
    assertThat(authJson).exists();

    var set = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(s.read(s.store())).contains("\"anthropic:default\"").contains(TestSecrets.get("LEGACY_KEY"));
    assertThat(authJson).doesNotExist();
  }

  @Test
  void legacyOauthJsonIsImportedOnceAndARemovedProfileStaysRemoved() throws Exception {
    s.write(s.state.resolve("credentials/oauth.json"), """
        {"openai-codex": {"access": "%s", "refresh": "%s", "expires": %d}}
        """.formatted(TestSecrets.get("LEGACY_ACCESS"), TestSecrets.get("LEGACY_REFRESH"), System.currentTimeMillis() + HOUR));
    // No store yet: oauth.json is read (as OpenClaw 2026.1 reads it only then), and the first write keeps it.
    var set = s.run("models", "auth", "order", "set", "--provider", "openai-codex", "openai-codex:default");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    JsonNode stored = JSON.readTree(s.read(s.store()));
    assertThat(stored.path("profiles").has("openai-codex:default")).isTrue();

    // Remove the imported profile by hand, as another tool would (2026.1 keeps no marker of ours).
    ((com.fasterxml.jackson.databind.node.ObjectNode) stored.path("profiles")).remove("openai-codex:default");
    ((com.fasterxml.jackson.databind.node.ObjectNode) stored).remove("order");
    ((com.fasterxml.jackson.databind.node.ObjectNode) stored).remove("clawauth");
    s.writeStore(dev.clawauth.json.JsonText.pretty(stored));
    JsonNode status = json(s.run("models", "status", "--json"));
    assertThat(status.at("/auth/oauth/profiles").toString()).doesNotContain("openai-codex");
    s.writeStore(s.example("auth-profiles.after-onboard.json"));
    var again = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(s.read(s.store())).doesNotContain("openai-codex:default");
  }

  @Test
  void textViewCarriesTheTranscriptsAuthOverviewLinesForThePasteTokenStore() throws Exception {
    s.writeConfig("clawdbot.json", s.example("clawdbot.after-paste-token.json"));
    s.writeStore(s.example("auth-profiles.after-paste-token.json"));
    var r = s.run("models", "status");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String store = s.store().toString();
    assertThat(r.stdout().lines()).contains(
        "Default       : anthropic/claude-opus-4-5",
        "Auth store    : " + store,
        "Shell env     : off",
        "Providers w/ OAuth/tokens (1): anthropic (2)",
        "- anthropic effective=profiles:" + store + " | profiles=2 (oauth=0, token=2, api_key=0) | "
            + "anthropic:manual=token:sk-ant-o...FAKEFAKE, anthropic:default=token:sk-ant-o...FAKEFAKE",
        "  - anthropic:manual static");
    assertThat(r.stdout()).doesNotContain(TestSecrets.get("SPEC_ANTHROPIC_TOKEN"));
  }

  @Test
  void textViewShowsCooldownAndBillingSuffixesForTheMixedStore() throws Exception {
    long now = System.currentTimeMillis();
    s.writeStore("""
        {"version": 1, "profiles": {
          "anthropic:fine": {"type": "oauth", "provider": "anthropic", "access": "%s", "refresh": "%s",
            "expires": %d, "email": "fine@example.invalid"},
          "openrouter:default": {"type": "api_key", "provider": "openrouter", "key": "%s"}},
         "usageStats": {"anthropic:fine": {"cooldownUntil": %d},
           "openrouter:default": {"disabledUntil": %d, "disabledReason": "billing"}}}
        """.formatted(TestSecrets.get("OAUTH_ACCESS"), TestSecrets.get("OAUTH_REFRESH"), now + 30L * 24 * HOUR,
        TestSecrets.get("OPENROUTER_KEY"), now + 15 * 60_000 + 20_000, now + 2 * HOUR + 20_000));
    var r = s.run("models", "status");
    assertThat(r.stdout()).contains("anthropic:fine=OAuth (fine@example.invalid) [cooldown 15m]")
        .contains("openrouter:default=" + dev.clawauth.store.Secret.mask(TestSecrets.get("OPENROUTER_KEY"))
            + " [disabled:billing 2h]")
        .contains("anthropic:fine (fine@example.invalid) ok expires in 30d");
  }
}
