package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertNoSecret;
import static dev.clawauth.cli.StateFiles.assertRefused;
import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.snapshot;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AuthListRemoveTest {
  static final String TOKEN = PasteTokenCommandTest.TOKEN;
  static final String KEY = PasteTokenCommandTest.API_KEY;

  @TempDir
  Path home;
  Path state;
  ClawauthProcess cli;
  long now;

  @BeforeEach
  void setUp() throws Exception {
    state = home.resolve("state");
    cli = new ClawauthProcess(home, state);
    now = System.currentTimeMillis();
    Path file = store(state, "main");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        {
          "version": 1,
          "profiles": {
            "anthropic:work": {"type": "token", "provider": "anthropic", "token": "%s", "expires": %d},
            "anthropic:default": {"type": "api_key", "provider": "anthropic", "key": "%s"},
            "anthropic:old": {"type": "token", "provider": "anthropic", "token": "%s", "expires": %d},
            "x:odd": {"type": "mystery", "provider": "x"}
          },
          "order": {"anthropic": ["anthropic:work", "anthropic:default"]},
          "lastGood": {"anthropic": "anthropic:work"},
          "usageStats": {"anthropic:work": {"lastUsed": %d, "cooldownUntil": %d, "errorCount": 1},
                         "anthropic:default": {"lastUsed": %d}}
        }
        """.formatted(TOKEN, now + 30L * 86_400_000, KEY, TOKEN, now - 3_600_000, now, now + 14 * 60_000, now));
    Files.writeString(state.resolve("openclaw.json"), """
        {"auth": {"profiles": {"anthropic:work": {"provider": "anthropic", "mode": "token"},
                               "anthropic:default": {"provider": "anthropic", "mode": "api_key"}}}}
        """);
  }

  @Test
  void listShowsMaskedSecretsExpiryAndCooldown() throws Exception {
    var r = cli.run("models", "auth", "list");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, TOKEN, KEY);
    assertThat(r.stdout()).contains("Auth file: " + store(state, "main"));
    assertThat(r.stdout()).containsPattern("anthropic:work +anthropic +token +sk-ant-o\\.\\.\\.FAKEFAKE +in 30d +cooldown 14m");
    assertThat(r.stdout()).containsPattern("anthropic:default +anthropic +api_key +sk-ant-a\\.\\.\\.KEFAKEAA +- +ok");
    assertThat(r.stdout()).containsPattern("anthropic:old +anthropic +token +\\S+ +expired 1h ago +expired");
    assertThat(r.stdout()).contains("(kept, not readable by this version: x:odd)");
  }

  @Test
  void listJson() throws Exception {
    var r = cli.run("models", "auth", "list", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, TOKEN, KEY);
    JsonNode n = StateFiles.JSON.readTree(r.stdout());
    assertThat(n.path("agentId").asText()).isEqualTo("main");
    assertThat(n.path("profiles")).hasSize(3);
    JsonNode work = n.path("profiles").get(0);
    assertThat(work.path("id").asText()).isEqualTo("anthropic:work");
    assertThat(work.path("secret").asText()).isEqualTo("sk-ant-o...FAKEFAKE");
    assertThat(work.path("state").asText()).isEqualTo("cooldown 14m");
    assertThat(work.path("cooldownUntil").asLong()).isEqualTo(now + 14 * 60_000);
    assertThat(n.path("profiles").get(1).path("expires").isNull()).isTrue();
    assertThat(n.path("unreadableProfileIds").get(0).asText()).isEqualTo("x:odd");
  }

  @Test
  void listOfAnEmptyAgentSaysHowToAddOne() throws Exception {
    var r = cli.run("models", "auth", "list", "--agent", "work");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("No auth profiles").contains("--agent work");
    assertThat(Files.exists(store(state, "work"))).isFalse();
  }

  @Test
  void removeDeletesTheProfileAndEveryReference() throws Exception {
    var r = cli.run("models", "auth", "remove", "anthropic:work", "--yes");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, TOKEN);
    assertThat(r.stdout()).contains("Removed auth profile: anthropic:work (anthropic/token)")
        .contains("Updated " + state.resolve("openclaw.json"));
    JsonNode doc = json(store(state, "main"));
    assertThat(doc.path("profiles").has("anthropic:work")).isFalse();
    assertThat(doc.path("profiles").has("x:odd")).as("unknown profiles survive").isTrue();
    assertThat(doc.path("order").path("anthropic").toString()).isEqualTo("[\"anthropic:default\"]");
    assertThat(doc.path("lastGood").has("anthropic")).isFalse();
    assertThat(doc.path("usageStats").has("anthropic:work")).isFalse();
    assertThat(doc.path("usageStats").has("anthropic:default")).isTrue();
    JsonNode cfg = json(state.resolve("openclaw.json")).path("auth").path("profiles");
    assertThat(cfg.has("anthropic:work")).isFalse();
    assertThat(cfg.has("anthropic:default")).isTrue();
  }

  @Test
  void removeKeepsTheConfigEntryWhileAnotherAgentUsesTheId() throws Exception {
    var paste = cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic",
        "--profile-id", "anthropic:work", "--agent", "side");
    assertThat(paste.exitCode()).as(paste.toString()).isZero();
    var r = cli.run("models", "auth", "remove", "anthropic:work", "--yes");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("agent(s) side still have a profile anthropic:work");
    assertThat(json(state.resolve("openclaw.json")).path("auth").path("profiles").has("anthropic:work")).isTrue();
    assertThat(json(store(state, "side")).path("profiles").has("anthropic:work")).isTrue();
  }

  @Test
  void removeRefusals() throws Exception {
    Map<String, String> before = snapshot(state);
    var noTty = cli.run("models", "auth", "remove", "anthropic:work");
    assertRefused(noTty, TOKEN);
    assertThat(noTty.stderr()).contains("re-run with --yes");
    var unknown = cli.run("models", "auth", "remove", "anthropic:nope", "--yes");
    assertRefused(unknown);
    assertThat(unknown.stderr()).contains("Auth profile \"anthropic:nope\" not found in " + store(state, "main").getParent());
    var badAgent = cli.run("models", "auth", "remove", "anthropic:work", "--yes", "--agent", "a/b");
    assertRefused(badAgent);
    var missingArg = cli.run("models", "auth", "remove");
    assertThat(missingArg.exitCode()).isEqualTo(1);
    assertThat(snapshot(state)).isEqualTo(before);
  }
}
