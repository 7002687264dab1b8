package dev.clawauth.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.json.Json;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clawauth and the real OpenClaw 2026.1 CLI on one state directory: each reads what the other
 * wrote the same way, and they exclude each other through the store lock. Needs
 * {@code CLAWDBOT_BIN} (see {@link Clawdbot}); skipped without it.
 */
@EnabledIfEnvironmentVariable(named = "CLAWDBOT_BIN", matches = ".+",
    disabledReason = "CLAWDBOT_BIN is not set: install the 2026.1 CLI with "
        + ".ci/install-clawdbot-2026.1.sh DIR and export CLAWDBOT_BIN=DIR/clawdbot")
class OpenClawInteropTest {
  static final String TOKEN = "sk-ant-oat01-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE";

  @TempDir
  Path home;
  @TempDir
  Path state;

  Path store;
  Clawdbot clawdbot;
  ClawauthProcess clawauth;

  @BeforeEach
  void dirs() {
    store = state.resolve("agents/main/agent/auth-profiles.json");
    clawdbot = new Clawdbot(home, state);
    clawauth = new ClawauthProcess(home, state);
  }

  @Test
  void clawdbotReadsAStoreAndConfigWrittenByClawauth() throws Exception {
    // The 2026.1 name of the config, so that both programs read the same file.
    ConfigFile.update(state.resolve("clawdbot.json"), root -> {
      ObjectNode model = root.putObject("agents").putObject("defaults").putObject("model");
      model.put("primary", "anthropic/claude-opus-4-5");
      model.putArray("fallbacks").add("openrouter/some-model");
    });
    long now = System.currentTimeMillis();
    new FileStore(store).update(doc -> {
      doc.putProfile("anthropic:key", new Credential.ApiKey("anthropic",
          new Secret("sk-ant-api03-FAKEFAKEFAKEFAKEFAKEFAKE-interop-KEYAA"), null));
      doc.putProfile("anthropic:tok", new Credential.Token("anthropic", new Secret(TOKEN), now + 12 * 3_600_000L, null));
      doc.putProfile("anthropic:old", new Credential.Token("anthropic", new Secret(TOKEN), now - 3_600_000L, null));
      doc.putProfile("openai-codex:default", new Credential.OAuth("openai-codex",
          new Secret("eyFAKE-access-interop-0000000000"), new Secret("FAKE-refresh-interop-000000000"),
          now + 10 * 86_400_000L, "acct-1", "codex@example.invalid", null));
      doc.putProfile("anthropic:oauth", new Credential.OAuth("anthropic",
          new Secret("sk-ant-oat01-FAKE-oauth-access-000000000"), new Secret("sk-ant-ort01-FAKE-refresh-000000000"),
          now + 2 * 3_600_000L, null, "me@example.invalid", null));
      doc.putProfile("openrouter:default", new Credential.ApiKey("openrouter",
          new Secret("sk-or-v1-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE"), null));
      ObjectNode cool = doc.usageNode("anthropic:key");
      cool.put("lastUsed", now);
      cool.put("cooldownUntil", now + 30 * 60_000L);
      cool.put("errorCount", 2);
      cool.putObject("failureCounts").put("rate_limit", 2);
      cool.put("lastFailureAt", now);
      ObjectNode off = doc.usageNode("openrouter:default");
      off.put("disabledUntil", now + 5 * 3_600_000L);
      off.put("disabledReason", "billing");
      return null;
    });
    var set = clawauth.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:tok", "anthropic:key");
    assertThat(set.exitCode()).as("%s", set).isZero();

    Clawdbot.Result theirs = clawdbot.run(null, "models", "status", "--json");
    assertThat(theirs.exitCode()).as("%s", theirs).isZero();
    var ours = clawauth.run("models", "status", "--json");
    assertThat(ours.exitCode()).as("%s", ours).isZero();
    JsonNode theirJson = json(theirs.stdout());
    assertThat(theirJson.path("configPath").asText()).isEqualTo(state.resolve("clawdbot.json").toString());
    assertThat(view(json(ours.stdout()))).isEqualTo(view(theirJson));
    assertThat(view(theirJson).toString()).contains("anthropic:key", "cooldown", "disabled", "expired", "expiring");

    Clawdbot.Result order = clawdbot.run(null, "models", "auth", "order", "get", "--provider", "anthropic");
    assertThat(order.exitCode()).as("%s", order).isZero();
    assertThat(order.stdout()).contains("Order override: anthropic:tok, anthropic:key");
  }

  @Test
  void clawauthReadsWhatClawdbotWrote() throws Exception {
    Clawdbot.Result paste = clawdbot.run(TOKEN + "\r", "models", "auth", "paste-token",
        "--provider", "anthropic", "--profile-id", "anthropic:pasted", "--expires-in", "12h");
    assertThat(paste.exitCode()).as("%s", paste).isZero();
    Clawdbot.Result paste2 = clawdbot.run(TOKEN + "\r", "models", "auth", "paste-token", "--provider", "anthropic");
    assertThat(paste2.exitCode()).as("%s", paste2).isZero();
    Clawdbot.Result set = clawdbot.run(null, "models", "auth", "order", "set", "--provider", "anthropic",
        "anthropic:pasted", "anthropic:manual");
    assertThat(set.exitCode()).as("%s", set).isZero();

    StoreDocument doc = new FileStore(store).readStored();
    assertThat(doc.profiles()).containsOnlyKeys("anthropic:pasted", "anthropic:manual");
    assertThat(doc.profile("anthropic:pasted").orElseThrow()).isInstanceOfSatisfying(Credential.Token.class, t -> {
      assertThat(t.token().matches(TOKEN)).isTrue();
      assertThat(t.expires() - System.currentTimeMillis()).isBetween(11 * 3_600_000L, 12 * 3_600_000L);
    });
    assertThat(doc.order("anthropic")).contains(List.of("anthropic:pasted", "anthropic:manual"));

    var ours = clawauth.run("models", "status", "--json");
    assertThat(ours.exitCode()).as("%s", ours).isZero();
    assertThat(ours.stdout()).doesNotContain(TOKEN);
    Clawdbot.Result theirs = clawdbot.run(null, "models", "status", "--json");
    assertThat(view(json(ours.stdout()))).isEqualTo(view(json(theirs.stdout())));

    var order = clawauth.run("models", "auth", "order", "get", "--provider", "anthropic", "--json");
    assertThat(order.exitCode()).as("%s", order).isZero();
    assertThat(json(order.stdout()).path("order").toString()).isEqualTo("[\"anthropic:pasted\",\"anthropic:manual\"]");
  }

  @Test
  void clawdbotWaitsForClawauthsLockAndWritesAfterRelease() throws Exception {
    Clawdbot.Result paste = clawdbot.run(TOKEN + "\r", "models", "auth", "paste-token", "--provider", "anthropic");
    assertThat(paste.exitCode()).as("%s", paste).isZero();
    String before = Files.readString(store);

    Process holder = holdLock(store);
    try {
      BufferedReader holderOut = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(holderOut.readLine()).isEqualTo("locked");
      Process setting = clawdbot.start("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:manual");
      // Long enough for clawdbot to start (2-4 s) and find the lock taken.
      Thread.sleep(10_000);
      assertThat(setting.isAlive()).as("clawdbot still waiting for the lock").isTrue();
      assertThat(Files.readString(store)).as("store while Clawauth holds the lock").isEqualTo(before);

      holder.getOutputStream().write("release\n".getBytes(StandardCharsets.UTF_8));
      holder.getOutputStream().flush();
      assertThat(holderOut.readLine()).isEqualTo("released");
      Clawdbot.Result set = Clawdbot.finish(setting, null, "order", "set");
      assertThat(set.exitCode()).as("%s", set).isZero();
    } finally {
      holder.destroyForcibly();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    StoreDocument doc = new FileStore(store).readStored();
    assertThat(doc.profiles()).containsOnlyKeys("anthropic:manual");
    assertThat(doc.order("anthropic")).contains(List.of("anthropic:manual"));
    assertThat(store.resolveSibling("auth-profiles.json.lock")).doesNotExist();
  }

  private static Process holdLock(Path store) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LockHolderMain.class.getName());
    cmd.add(store.toString());
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static JsonNode json(String text) throws Exception {
    return Json.parseStrict(Path.of("status.json"), text);
  }

  /**
   * What both programs must agree on: per provider the profile counts and labels, per OAuth or
   * token profile its status, the cooldowns and disables, and the providers in use without auth.
   */
  static Map<String, Object> view(JsonNode status) {
    JsonNode auth = status.path("auth");
    Map<String, Object> v = new TreeMap<>();
    v.put("defaultModel", status.path("defaultModel").asText());
    v.put("missingProvidersInUse", auth.path("missingProvidersInUse").toString());
    for (JsonNode p : auth.path("providers")) {
      JsonNode profiles = p.path("profiles");
      v.put("provider " + p.path("provider").asText(), profiles.path("count").asInt() + " profiles, oauth="
          + profiles.path("oauth").asInt() + " token=" + profiles.path("token").asInt() + " apiKey="
          + profiles.path("apiKey").asInt() + " labels=" + profiles.path("labels"));
    }
    for (JsonNode p : auth.path("oauth").path("profiles")) {
      v.put("status " + p.path("profileId").asText(), p.path("type").asText() + " " + p.path("status").asText());
    }
    for (JsonNode u : auth.path("unusableProfiles")) {
      v.put("unusable " + u.path("profileId").asText(), u.path("kind").asText() + " " + u.path("reason").asText(""));
    }
    return v;
  }
}
