package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.assertNoSecret;
import static dev.clawauth.cli.StateFiles.assertRefused;
import static dev.clawauth.cli.StateFiles.json;
import static dev.clawauth.cli.StateFiles.snapshot;
import static dev.clawauth.cli.StateFiles.store;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class PasteTokenCommandTest {
  static final String TOKEN = "sk-ant-oat01-" + "FAKE".repeat(20);
  static final String API_KEY = "sk-ant-api03-" + "FAKE".repeat(12) + "-FAKEFAKEAA";
  static final String OPENROUTER = "sk-or-v1-" + "0123456789abcdef".repeat(4);

  @TempDir
  Path home;
  Path state;
  ClawauthProcess cli;

  @BeforeEach
  void setUp() {
    state = home.resolve("state");
    cli = new ClawauthProcess(home, state);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r", ""})
  void storesAPipedTokenWhateverTheLineEnding(String ending) throws Exception {
    var r = cli.runWithInput(TOKEN + ending, "models", "auth", "paste-token", "--provider", "anthropic");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("Updated " + state.resolve("openclaw.json") + "\n"
        + "Auth profile: anthropic:manual (anthropic/token)\n");
    assertNoSecret(r, TOKEN);
    JsonNode profile = json(store(state, "main")).path("profiles").path("anthropic:manual");
    assertThat(profile.path("token").asText()).isEqualTo(TOKEN);
    assertThat(StateFiles.posixMode(store(state, "main"))).isEqualTo("rw-------");
    assertThat(StateFiles.posixMode(store(state, "main").getParent())).isEqualTo("rwx------");
  }

  @Test
  void writesTheFilesThe2026CliWrote() throws Exception {
    long before = System.currentTimeMillis();
    assertThat(cli.runWithInput(TOKEN + "\n", "models", "auth", "paste-token", "--provider", "anthropic").exitCode()).isZero();
    var r = cli.runWithInput(TOKEN + "\r", "models", "auth", "paste-token", "--provider", "anthropic",
        "--profile-id", "anthropic:default", "--expires-in", "12h");
    long after = System.currentTimeMillis();
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Auth profile: anthropic:default (anthropic/token)");

    ObjectNode written = (ObjectNode) json(store(state, "main"));
    long expires = written.path("profiles").path("anthropic:default").path("expires").asLong();
    assertThat(expires).isBetween(before + 12 * 3_600_000L, after + 12 * 3_600_000L);
    ObjectNode expected = (ObjectNode) StateFiles.JSON.readTree(ClawauthProcess.specExample("auth-profiles.after-paste-token.json").toFile());
    ((ObjectNode) expected.path("profiles").path("anthropic:default")).put("expires", expires);
    assertThat(written).isEqualTo(expected);
    assertThat(Files.readString(store(state, "main"))).endsWith("}\n");

    JsonNode exampleConfig = StateFiles.JSON.readTree(ClawauthProcess.specExample("clawdbot.after-paste-token.json").toFile());
    assertThat(json(state.resolve("openclaw.json")).path("auth")).isEqualTo(exampleConfig.path("auth"));
  }

  @Test
  void keepsWhatTheConfigAlreadyHeld() throws Exception {
    Files.createDirectories(state);
    Files.writeString(state.resolve("openclaw.json"),
        "// hand-written\n{ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } }, custom: 1 }\n");
    assertThat(cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic").exitCode()).isZero();
    // The file stays the user's JSON5, comment and all: only the new entry is written into it.
    String text = Files.readString(state.resolve("openclaw.json"));
    assertThat(text).startsWith("// hand-written\n");
    JsonNode cfg = dev.clawauth.json.Json.parseJson5(state.resolve("openclaw.json"), text);
    assertThat(cfg.path("custom").asInt()).isEqualTo(1);
    assertThat(cfg.path("agents").path("defaults").path("model").path("primary").asText()).isEqualTo("anthropic/claude-opus-4-5");
    assertThat(cfg.path("auth").path("profiles").path("anthropic:manual").path("mode").asText()).isEqualTo("token");
  }

  @Test
  void replacingAProfileSaysSo() throws Exception {
    cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic");
    String other = "sk-ant-oat01-" + "OTHR".repeat(20);
    var r = cli.runWithInput(other, "models", "auth", "paste-token", "--provider", "anthropic");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("replaced the previous credential");
    assertThat(json(store(state, "main")).path("profiles").path("anthropic:manual").path("token").asText()).isEqualTo(other);
  }

  /** Each refusal: exit 1, one line on stderr, not one byte written. */
  static List<Object[]> refusals() {
    String shortToken = "sk-ant-oat01-" + "A".repeat(20);
    return List.of(
        new Object[] {"", List.of("--provider", "anthropic"), "Required"},
        new Object[] {"\n", List.of("--provider", "anthropic"), "Required"},
        new Object[] {"bad-token\r", List.of("--provider", "anthropic"), "Expected token starting with sk-ant-oat01-"},
        new Object[] {shortToken + "\n", List.of("--provider", "anthropic"), "Token looks too short; paste the full setup-token"},
        new Object[] {API_KEY + "\n", List.of("--provider", "anthropic"),
            "This is an Anthropic API key (sk-ant-api03-…), not a token: store it with `clawauth models auth paste-api-key --provider anthropic`."},
        new Object[] {OPENROUTER + "\n", List.of("--provider", "anthropic"),
            "This is an OpenRouter API key (sk-or-v1-…), not an anthropic token: store it with `clawauth models auth paste-api-key --provider openrouter`."},
        new Object[] {"sk-proj-abcdefabcdefabcdefabcdef\n", List.of("--provider", "anthropic"), "OpenAI project API key"},
        new Object[] {"sk-abcdefabcdefabcdefabcdef\n", List.of("--provider", "anthropic"), "OpenAI-style API key"},
        new Object[] {TOKEN + "\n" + TOKEN + "\n", List.of("--provider", "anthropic"), "spaces or line breaks"},
        new Object[] {TOKEN, List.of(), "Missing required option: '--provider=<id>'"},
        new Object[] {TOKEN, List.of("--provider", "anthropic", "--expires-in", "soon"), "Invalid duration \"soon\""},
        new Object[] {TOKEN, List.of("--provider", "anthropic", "--agent", "../evil"), "Invalid agent id \"../evil\""},
        new Object[] {TOKEN, List.of("--provider", "anthropic", "--profile-id", "has space"), "Invalid --profile-id"});
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("refusals")
  void refusesWithOneLineAndWritesNothing(String stdin, List<String> args, String message) throws Exception {
    // A prior profile proves the refusal leaves existing files byte for byte.
    cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:keep");
    Map<String, String> before = snapshot(state);
    List<String> cmd = new ArrayList<>(List.of("models", "auth", "paste-token"));
    cmd.addAll(args);
    var r = cli.runWithInput(stdin, cmd.toArray(String[]::new));
    if (args.isEmpty()) {
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.stderr()).contains(message);
      assertNoSecret(r, TOKEN);
    } else {
      assertRefused(r, TOKEN, API_KEY, OPENROUTER);
      assertThat(r.stderr()).contains(message);
    }
    assertThat(snapshot(state)).isEqualTo(before);
  }

  @Test
  void aStoreThatDoesNotParseIsNeverOverwritten() throws Exception {
    Path file = store(state, "main");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"version\":1,\"profiles\":{\"anthropic:x\":{\"type\":\"token\",}");
    Map<String, String> before = snapshot(state);
    var r = cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic");
    assertRefused(r, TOKEN);
    assertThat(r.stderr()).contains(file.toString());
    assertThat(snapshot(state)).isEqualTo(before);
  }

  @Test
  void pasteApiKeyStoresAnApiKeyProfile() throws Exception {
    var r = cli.runWithInput(OPENROUTER + "\n", "models", "auth", "paste-api-key", "--provider", "openrouter");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Auth profile: openrouter:default (openrouter/api_key)");
    assertNoSecret(r, OPENROUTER);
    JsonNode p = json(store(state, "main")).path("profiles").path("openrouter:default");
    assertThat(p.path("type").asText()).isEqualTo("api_key");
    assertThat(p.path("key").asText()).isEqualTo(OPENROUTER);
    assertThat(json(state.resolve("openclaw.json")).path("auth").path("profiles").path("openrouter:default").path("mode").asText())
        .isEqualTo("api_key");
  }

  /** The documents run `paste-token --provider openrouter`: OpenRouter issues only API keys. */
  @Test
  void pasteTokenForAnApiKeyOnlyProviderStoresAnApiKeyProfile() throws Exception {
    var r = cli.runWithInput(OPENROUTER + "\n", "models", "auth", "paste-token", "--provider", "openrouter");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertNoSecret(r, OPENROUTER);
    assertThat(r.stdout()).contains("Auth profile: openrouter:default (openrouter/api_key)");
    assertThat(r.stderr()).isEqualTo("openrouter takes API keys; stored as an api_key profile openrouter:default\n");
    JsonNode p = json(store(state, "main")).path("profiles").path("openrouter:default");
    assertThat(p.path("type").asText()).isEqualTo("api_key");
    assertThat(p.path("key").asText()).isEqualTo(OPENROUTER);
    assertThat(json(state.resolve("openclaw.json")).path("auth").path("profiles").path("openrouter:default").path("mode").asText())
        .isEqualTo("api_key");
    // Another provider's secret is still refused with the command that fits it.
    Map<String, String> before = snapshot(state);
    var wrong = cli.runWithInput(TOKEN, "models", "auth", "paste-token", "--provider", "openrouter");
    assertRefused(wrong, TOKEN);
    assertThat(wrong.stderr()).contains("paste-token --provider anthropic");
    assertThat(snapshot(state)).isEqualTo(before);
  }

  @Test
  void pasteApiKeyRefusesATokenAndAnotherProvidersKey() throws Exception {
    Map<String, String> before = snapshot(state);
    var r1 = cli.runWithInput(TOKEN, "models", "auth", "paste-api-key", "--provider", "anthropic");
    assertRefused(r1, TOKEN);
    assertThat(r1.stderr()).contains("Anthropic setup-token").contains("paste-token --provider anthropic");
    var r2 = cli.runWithInput(OPENROUTER, "models", "auth", "paste-api-key", "--provider", "openai", "--agent", "work");
    assertRefused(r2, OPENROUTER);
    assertThat(r2.stderr()).contains("not an openai API key").contains("paste-api-key --provider openrouter --agent work");
    assertThat(snapshot(state)).isEqualTo(before);
  }

  @Test
  void sixteenConcurrentPastesAllLand() throws Exception {
    List<CompletableFuture<ClawauthProcess.Result>> runs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String id = "anthropic:p" + i;
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          return cli.runWithInput(TOKEN + "\n", "models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", id);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (var f : runs) {
      var r = f.join();
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    JsonNode profiles = json(store(state, "main")).path("profiles");
    JsonNode declared = json(state.resolve("openclaw.json")).path("auth").path("profiles");
    for (int i = 0; i < 16; i++) {
      assertThat(profiles.has("anthropic:p" + i)).as("profile p" + i).isTrue();
      assertThat(declared.has("anthropic:p" + i)).as("config entry p" + i).isTrue();
    }
    assertThat(profiles.size()).isEqualTo(16);
    try (var left = Files.list(store(state, "main").getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("auth-profiles.json");
    }
  }
}
