package dev.clawauth.cli;

import static dev.clawauth.cli.StateFiles.dir;
import static dev.clawauth.cli.StateFiles.file;
import static dev.clawauth.cli.StateFiles.mode;
import static dev.clawauth.cli.StateFiles.secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clawauth doctor} end to end: the real jar on temp state dirs. */
final class DoctorCommandTest {
  static final String API_KEY = "sk-ant-api03-DOCTORFAKEKEY0000000000000000000000000000000000AA";
  static final String SETUP_TOKEN = "sk-ant-oat01-DOCTORFAKETOKEN00000000000000000000000000000000000000000000000000000000000000AA";
  static final String OPENAI_KEY = "sk-proj-DOCTORFAKEOPENAI000000000000000000000000000BB";
  static final String OPENROUTER_KEY = "sk-or-v1-DOCTORFAKEOPENROUTER0000000000000000000000000000CC";
  static final String REFRESH = "rt-DOCTORFAKEREFRESH000000000000000000DD";
  static final List<String> SECRETS = List.of(API_KEY, SETUP_TOKEN, OPENAI_KEY, OPENROUTER_KEY, REFRESH);

  @TempDir
  Path home;
  Path state;
  Path agentDir;
  Path store;
  Path shell;

  @BeforeEach
  void cleanState() throws Exception {
    state = dir(home.resolve("state"), "rwx------");
    agentDir = dir(state.resolve("agents/main/agent"), "rwx------");
    store = agentDir.resolve("auth-profiles.json");
    shell = StateFiles.fakeShell(home);
  }

  private ClawauthProcess clawauth() {
    return new ClawauthProcess(home, state).env("SHELL", shell.toString());
  }

  private ClawauthProcess.Result doctor(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("doctor"));
    all.addAll(List.of(args));
    ClawauthProcess.Result r = clawauth().run(all.toArray(String[]::new));
    assertNoSecrets(r);
    return r;
  }

  static void assertNoSecrets(ClawauthProcess.Result r) {
    for (String s : SECRETS) {
      assertThat(r.stdout()).as("stdout leaks a secret").doesNotContain(s);
      assertThat(r.stderr()).as("stderr leaks a secret").doesNotContain(s);
    }
  }

  private JsonNode json(ClawauthProcess.Result r) throws Exception {
    return new ObjectMapper().readTree(r.stdout());
  }

  private static List<String> codes(JsonNode report) {
    List<String> out = new ArrayList<>();
    report.path("findings").forEach(f -> out.add(f.path("code").asText()));
    return out;
  }

  private void workingAnthropicKey() throws Exception {
    secret(store, """
        {
          "version": 1,
          "profiles": {
            "anthropic:default": { "type": "api_key", "provider": "anthropic", "key": "%s" }
          }
        }
        """.formatted(API_KEY));
  }

  @Test
  void cleanStateExitsZeroAndSaysSo() throws Exception {
    workingAnthropicKey();
    var r = doctor();
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("No problems found.").contains("Agents    : main");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void emptyMachineReportsTheDefaultModelsMissingProvider() throws Exception {
    var r = doctor("--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    JsonNode missing = find(json(r), "missing-credential");
    assertThat(missing.path("what").asText()).contains("anthropic").contains("default model anthropic/claude-opus-4-5");
    assertThat(missing.path("severity").asText()).isEqualTo("error");
    assertThat(missing.path("fix").asText()).contains("clawauth onboard");
    assertThat(Files.exists(store)).as("doctor without --fix writes nothing").isFalse();
  }

  @Test
  void loosePermissionsAreReportedWithTheirChmodAndFixedBackTo0600And0700() throws Exception {
    workingAnthropicKey();
    Files.setPosixFilePermissions(store, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(agentDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
    Path dotEnv = file(state.resolve(".env"), "ANTHROPIC_API_KEY=" + API_KEY + "\n", "rw-r-----");
    Path config = file(state.resolve("openclaw.json"), "{}\n", "rw-rw-rw-");
    Path oauth = file(state.resolve("credentials/oauth.json"), "{}\n", "rw-r--r--");
    Path token = file(state.resolve("gateway/token"), "0123456789abcdef\n", "rw-r--r--");

    var r = doctor();
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout())
        .contains("chmod 600 " + store).contains("has mode 0644 (should be 0600)")
        .contains("chmod 700 " + state).contains("chmod 700 " + agentDir)
        .contains("chmod 600 " + dotEnv).contains("chmod 600 " + config)
        .contains("chmod 600 " + oauth).contains("chmod 600 " + token)
        .contains("Run `clawauth doctor --fix`");

    var fixed = doctor("--fix");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    assertThat(fixed.stdout()).contains("chmod 0600 " + store + " (was 0644)")
        .contains("chmod 0700 " + state + " (was 0755)").contains("No problems remain.");
    for (Path f : List.of(store, dotEnv, config, oauth, token)) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
    for (Path d : List.of(state, agentDir, state.resolve("credentials"), state.resolve("gateway"))) {
      assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
    }
    assertThat(doctor().exitCode()).isZero();
  }

  @Test
  void corruptStoreIsNamedWithLineAndColumnAndLeftByteIdenticalEvenByFix() throws Exception {
    String broken = "{\n  \"version\": 1,\n  \"profiles\": { \"anthropic:x\": { \"key\": \"" + API_KEY + "\" }\n";
    file(store, broken, "rw-r--r--");
    Files.setPosixFilePermissions(agentDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    byte[] before = Files.readAllBytes(store);
    FileTime mtime = Files.getLastModifiedTime(store);

    var r = doctor("--fix", "--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    JsonNode report = json(r);
    JsonNode parse = find(report, "unparsable-file");
    assertThat(parse.path("path").asText()).isEqualTo(store.toString());
    assertThat(parse.path("what").asText()).contains("line 4, column");
    assertThat(parse.path("autoFix").asBoolean()).isFalse();
    assertThat(Files.readAllBytes(store)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(store)).isEqualTo(mtime);
    assertThat(mode(store)).as("a file that does not parse is not touched, not even its mode").isEqualTo("rw-r--r--");
    assertThat(mode(agentDir)).as("its directory is safe to tighten").isEqualTo("rwx------");
    JsonNode declined = null;
    for (JsonNode c : report.path("changes")) {
      if (!c.path("applied").asBoolean()) {
        declined = c;
      }
    }
    assertThat(declined).as("the declined chmod is reported").isNotNull();
    assertThat(declined.path("change").asText()).contains("does not parse");
    assertThat(Files.exists(store.resolveSibling("auth-profiles.json.bak"))).isFalse();
  }

  @Test
  void corruptConfigIsReportedAndTheStoresAreStillExamined() throws Exception {
    Path config = secret(state.resolve("openclaw.json"), "{\n  agents: { defaults: { model: \"openai/gpt-5\" } \n  oops\n}\n");
    byte[] before = Files.readAllBytes(config);
    secret(store, """
        {
          "version": 1,
          "profiles": {
            "anthropic:manual": { "type": "token", "provider": "anthropic", "token": "%s", "expires": 1000 }
          }
        }
        """.formatted(SETUP_TOKEN));
    var r = doctor("--fix");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).contains("config file " + config + " does not parse: line 3, column")
        .contains("anthropic:manual (token) expired");
    assertThat(Files.readAllBytes(config)).isEqualTo(before);
  }

  @Test
  void legacyAuthJsonIsReportedThenImportedByFixAndDeletedOnlyAfterTheStoreHoldsIt() throws Exception {
    Path authJson = secret(agentDir.resolve("auth.json"),
        "{ \"anthropic\": { \"type\": \"api_key\", \"key\": \"" + API_KEY + "\" } }\n");
    var r = doctor("--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    JsonNode pending = find(json(r), "pending-import");
    assertThat(pending.path("what").asText()).contains("anthropic:default").contains(authJson.toString());
    assertThat(pending.path("autoFix").asBoolean()).isTrue();
    assertThat(Files.exists(store)).isFalse();

    var fixed = doctor("--fix");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    assertThat(fixed.stdout()).contains("imported anthropic:default into " + store);
    JsonNode saved = new ObjectMapper().readTree(store.toFile());
    assertThat(saved.path("profiles").path("anthropic:default").path("key").asText()).isEqualTo(API_KEY);
    assertThat(mode(store)).isEqualTo("rw-------");
    assertThat(Files.exists(authJson)).isFalse();
  }

  @Test
  void legacyOAuthJsonIsImportedOnceAndKept() throws Exception {
    long expires = System.currentTimeMillis() + 10 * 86_400_000L;
    Path oauthJson = secret(state.resolve("credentials/oauth.json"), """
        { "openai-codex": { "access": "access-DOCTOR-000000000000", "refresh": "%s", "expires": %d } }
        """.formatted(REFRESH, expires));
    // The default model's key where a daemon reads it, so that no store exists before the import.
    secret(state.resolve(".env"), "ANTHROPIC_API_KEY=" + API_KEY + "\n");
    // As OpenClaw 2026.1 does, oauth.json is merged only into a store that does not exist yet.
    assertThat(codes(json(doctor("--json")))).contains("pending-import");
    var fixed = doctor("--fix");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    JsonNode saved = new ObjectMapper().readTree(store.toFile());
    assertThat(saved.path("profiles").path("openai-codex:default").path("type").asText()).isEqualTo("oauth");
    assertThat(Files.exists(oauthJson)).as("oauth.json is kept; the store now exists, so it is not read again").isTrue();
    assertThat(codes(json(doctor("--json")))).doesNotContain("pending-import");
  }

  @Test
  void legacyOAuthJsonIsNotMergedIntoAnExistingStore() throws Exception {
    workingAnthropicKey();
    secret(state.resolve("credentials/oauth.json"), """
        { "openai-codex": { "access": "access-DOCTOR-000000000000", "refresh": "%s", "expires": %d } }
        """.formatted(REFRESH, System.currentTimeMillis() + 86_400_000L));
    assertThat(codes(json(doctor("--json")))).doesNotContain("pending-import");
    assertThat(doctor("--fix").exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(store.toFile()).path("profiles").has("openai-codex:default")).isFalse();
  }

  @Test
  void unparsableAuthJsonBesideAnOAuthImportIsNeitherImportedNorDeleted() throws Exception {
    Path authJson = file(agentDir.resolve("auth.json"), "{ \"anthropic\": { \"key\": \n", "rw-------");
    byte[] before = Files.readAllBytes(authJson);
    secret(state.resolve("credentials/oauth.json"), """
        { "openai-codex": { "access": "access-DOCTOR-000000000000", "refresh": "%s", "expires": %d } }
        """.formatted(REFRESH, System.currentTimeMillis() + 86_400_000L * 5));
    var r = doctor("--fix", "--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(find(json(r), "unparsable-file").path("path").asText()).isEqualTo(authJson.toString());
    assertThat(Files.readAllBytes(authJson)).isEqualTo(before);
    assertThat(new ObjectMapper().readTree(store.toFile()).path("profiles").has("openai-codex:default")).isTrue();
  }

  @Test
  void danglingOrderEntriesAreRemovedAndAnEmptiedOrderIsDeleted() throws Exception {
    secret(store, """
        {
          "version": 1,
          "profiles": {
            "anthropic:work": { "type": "api_key", "provider": "anthropic", "key": "%s" },
            "openai:main": { "type": "api_key", "provider": "openai", "key": "%s" }
          },
          "order": {
            "anthropic": ["anthropic:gone", "anthropic:work", "openai:main"],
            "openrouter": ["openrouter:never"]
          },
          "lastGood": { "anthropic": "anthropic:work" }
        }
        """.formatted(API_KEY, OPENAI_KEY));
    var r = doctor("--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    List<JsonNode> dangling = findAll(json(r), "dangling-order");
    assertThat(dangling).hasSize(2);
    assertThat(dangling.get(0).path("what").asText())
        .contains("anthropic:gone (no such profile)").contains("openai:main (a profile of openai)");
    assertThat(dangling.get(0).path("fix").asText())
        .contains("clawauth models auth order set --provider anthropic anthropic:work");

    var fixed = doctor("--fix");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    assertThat(fixed.stdout()).contains("removed anthropic:gone, openai:main from the anthropic order (now: anthropic:work)")
        .contains("removed openrouter:never from the openrouter order; the order was then empty and is deleted");
    JsonNode saved = new ObjectMapper().readTree(store.toFile());
    assertThat(saved.path("order").path("anthropic").toString()).isEqualTo("[\"anthropic:work\"]");
    assertThat(saved.path("order").has("openrouter")).isFalse();
    assertThat(saved.path("lastGood").path("anthropic").asText()).isEqualTo("anthropic:work");
    assertThat(saved.path("profiles").path("openai:main").path("key").asText()).isEqualTo(OPENAI_KEY);
  }

  @Test
  void anOrderLeftEmptyRemovesTheWholeOrderObject() throws Exception {
    secret(store, """
        {
          "version": 1,
          "profiles": { "anthropic:work": { "type": "api_key", "provider": "anthropic", "key": "%s" } },
          "order": { "anthropic": ["anthropic:gone"] }
        }
        """.formatted(API_KEY));
    assertThat(find(json(doctor("--json")), "dangling-order").path("why").asText())
        .contains("no stored anthropic profile is ever chosen");
    assertThat(doctor("--fix").exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(store.toFile()).has("order")).isFalse();
  }

  @Test
  void configOrderNamingMissingProfilesIsRepairedKeepingTheFilesComments() throws Exception {
    workingAnthropicKey();
    Path config = secret(state.resolve("openclaw.json"), """
        // hand-written, comments must survive
        { auth: { order: { anthropic: ["anthropic:default", "anthropic:elsewhere"] } } }
        """);
    var seen = doctor("--json");
    assertThat(seen.exitCode()).as(seen.toString()).isEqualTo(1);
    JsonNode f = find(json(seen), "dangling-config-order");
    assertThat(f.path("what").asText()).contains("anthropic:elsewhere (no such profile)");
    assertThat(f.path("autoFix").asBoolean()).isTrue();

    var r = doctor("--fix", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readString(config)).isEqualTo("""
        // hand-written, comments must survive
        { auth: { order: { anthropic: ["anthropic:default"] } } }
        """);
  }

  @Test
  void configValuesNamingUnsetVariablesAreFlaggedAndGoQuietOnceSet() throws Exception {
    workingAnthropicKey();
    Path config = secret(state.resolve("openclaw.json"), """
        { models: { providers: { minimax: { baseUrl: "${MM_BASE}/anthropic", api: "anthropic-messages",
            apiKey: "${MINIMAX_API_KEY}", models: [] } } },
          gateway: { auth: { token: "${MY_GATEWAY_TOKEN}" } } }
        """);
    byte[] before = Files.readAllBytes(config);
    var r = doctor("--fix", "--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    JsonNode f = find(json(r), "config-unset-variable");
    assertThat(f.path("what").asText()).contains("models.providers.minimax.apiKey (${MINIMAX_API_KEY})")
        .contains("models.providers.minimax.baseUrl (${MM_BASE})").contains("gateway.auth.token (${MY_GATEWAY_TOKEN})");
    assertThat(f.path("fix").asText()).contains("set MINIMAX_API_KEY, MM_BASE, MY_GATEWAY_TOKEN in ")
        .contains(state.resolve(".env").toString());
    assertThat(Files.readAllBytes(config)).isEqualTo(before);

    secret(state.resolve(".env"), "MM_BASE=https://api.minimax.io\nMINIMAX_API_KEY=mm-env-key-1234567890\n"
        + "MY_GATEWAY_TOKEN=gw-token-from-dotenv-1234\n");
    assertThat(json(doctor("--json")).toString()).doesNotContain("config-unset-variable");
  }

  @Test
  void clawauthOnlyKeysInOpenClawsConfigAreFlaggedWithWhereTheyBelong() throws Exception {
    workingAnthropicKey();
    Path config = secret(state.resolve("openclaw.json"), """
        { gateway: { port: 18789, bind: "loopback", auth: { mode: "token", token: "t" }, maxBodyBytes: 1000, readTimeoutMs: 5 } }
        """);
    byte[] before = Files.readAllBytes(config);
    var r = doctor("--fix", "--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    JsonNode f = find(json(r), "clawauth-keys-in-openclaw-config");
    assertThat(f.path("what").asText()).contains("gateway.maxBodyBytes, gateway.readTimeoutMs")
        .doesNotContain("gateway.port").doesNotContain("gateway.bind");
    assertThat(f.path("fix").asText()).contains(state.resolve("clawauth.json").toString());
    assertThat(Files.readAllBytes(config)).isEqualTo(before);

    // Once moved, nothing is left to say.
    Files.writeString(config, "{ gateway: { port: 18789, bind: \"loopback\" } }");
    secret(state.resolve("clawauth.json"), "{ gateway: { maxBodyBytes: 1000, readTimeoutMs: 5 } }");
    assertThat(doctor("--json").exitCode()).isZero();
  }

  @Test
  void expiredExpiringAndReloginCredentialsAreFlaggedButRenewingOAuthIsNot() throws Exception {
    long now = System.currentTimeMillis();
    secret(store, """
        {
          "version": 1,
          "profiles": {
            "anthropic:old": { "type": "token", "provider": "anthropic", "token": "%s", "expires": %d },
            "anthropic:soon": { "type": "token", "provider": "anthropic", "token": "%s", "expires": %d },
            "anthropic:default": { "type": "api_key", "provider": "anthropic", "key": "%s" },
            "openai-codex:renews": { "type": "oauth", "provider": "openai-codex", "access": "a-000000000000000000",
                                     "refresh": "%s", "expires": %d },
            "openai-codex:revoked": { "type": "oauth", "provider": "openai-codex", "access": "a-000000000000000001",
                                      "refresh": "rt-000000000000000000000", "expires": %d,
                                      "clawauthRelogin": { "reason": "invalid_grant" } }
          }
        }
        """.formatted(SETUP_TOKEN, now - 3_600_000L, SETUP_TOKEN, now + 12 * 3_600_000L, API_KEY,
        REFRESH, now - 60_000L, now - 60_000L));
    var r = doctor("--json");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    JsonNode report = json(r);
    assertThat(find(report, "credential-expired").path("what").asText()).startsWith("anthropic:old (token) expired 1h ago");
    JsonNode soon = find(report, "credential-expiring");
    assertThat(soon.path("what").asText()).startsWith("anthropic:soon (token) expires in 12h");
    assertThat(soon.path("severity").asText()).isEqualTo("warning");
    assertThat(soon.path("fix").asText())
        .isEqualTo("clawauth models auth paste-token --provider anthropic --profile-id anthropic:soon");
    JsonNode relogin = find(report, "needs-relogin");
    assertThat(relogin.path("what").asText()).contains("openai-codex:revoked").contains("invalid_grant");
    assertThat(relogin.path("fix").asText()).contains("models auth login --provider openai-codex");
    assertThat(report.toString()).doesNotContain("openai-codex:renews");
  }

  @Test
  void keyOnlyInTheLoginShellIsShownMaskedWithTheLineToAdd() throws Exception {
    workingAnthropicKey();
    shell = StateFiles.fakeShell(home, "HOME=" + home, "OPENROUTER_API_KEY=" + OPENROUTER_KEY);
    var r = doctor();
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    String masked = "OPENROUTER_API_KEY=sk-or-v1...000000CC";
    assertThat(r.stdout()).contains("OPENROUTER_API_KEY is set only in your login shell")
        .contains("add the line `" + masked + "`")
        .contains("printf 'OPENROUTER_API_KEY=%s\\n' \"$OPENROUTER_API_KEY\" >> " + state.resolve(".env"));

    secret(state.resolve(".env"), "OPENROUTER_API_KEY=" + OPENROUTER_KEY + "\n");
    var after = doctor();
    assertThat(after.exitCode()).as(after.toString()).isZero();
    assertThat(after.stdout()).doesNotContain("OPENROUTER_API_KEY");
  }

  @Test
  void keyOnlyInThisTerminalIsFlaggedAndIsInfoWhenTheDaemonImportsTheShell() throws Exception {
    workingAnthropicKey();
    var r = clawauth().env("OPENAI_API_KEY", OPENAI_KEY).run("doctor", "--json");
    assertNoSecrets(r);
    JsonNode f = find(json(r), "shell-only-key");
    assertThat(f.path("what").asText()).contains("OPENAI_API_KEY is set only in this terminal's environment");
    assertThat(f.path("severity").asText()).isEqualTo("warning");
    assertThat(r.exitCode()).isEqualTo(1);

    shell = StateFiles.fakeShell(home, "OPENAI_API_KEY=" + OPENAI_KEY);
    secret(state.resolve("openclaw.json"), "{ env: { shellEnv: { enabled: true } } }\n");
    var imported = doctor("--json");
    assertThat(find(json(imported), "shell-only-key").path("severity").asText()).isEqualTo("info");
    assertThat(imported.exitCode()).as("info does not count as a problem").isZero();
  }

  @Test
  void staleLockIsReportedAndRemovedWhileAFreshOneIsLeftAlone() throws Exception {
    workingAnthropicKey();
    Path lock = Files.createDirectory(agentDir.resolve("auth-profiles.json.lock"));
    Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
    var r = doctor("--json");
    assertThat(find(json(r), "stale-lock").path("path").asText()).isEqualTo(lock.toString());
    var fixed = doctor("--fix");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    assertThat(fixed.stdout()).contains("removed stale lock " + lock);
    assertThat(Files.exists(lock)).isFalse();

    Files.createDirectory(lock);
    var fresh = doctor("--fix");
    assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
    assertThat(Files.isDirectory(lock)).as("a live holder's lock stays").isTrue();
  }

  @Test
  void everyAgentIsExaminedUnlessOneIsNamed() throws Exception {
    workingAnthropicKey();
    Path workStore = file(state.resolve("agents/work/agent/auth-profiles.json"), "{\"version\":1,\"profiles\":{}}\n",
        "rw-r--r--");
    secret(state.resolve("openclaw.json"), "{ agents: { list: [ { id: \"ops\" } ] } }\n");
    JsonNode all = json(doctor("--json"));
    List<String> ids = new ArrayList<>();
    all.path("agents").forEach(a -> ids.add(a.path("agentId").asText()));
    assertThat(ids).containsExactly("main", "ops", "work");
    assertThat(find(all, "loose-permissions").path("agentId").asText()).isEqualTo("work");

    var main = doctor("--json", "--agent", "main");
    assertThat(main.exitCode()).as(main.toString()).isZero();
    assertThat(json(main).path("agents")).hasSize(1);
    assertThat(main.stdout()).doesNotContain(workStore.toString());

    var bad = doctor("--agent", "../evil");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr().lines().count()).isEqualTo(1);
    assertThat(bad.stderr()).contains("Invalid agent id");
  }

  @Test
  void jsonDocumentHasTheDocumentedStructure() throws Exception {
    file(store, "{\"version\":1,\"profiles\":{}}\n", "rw-r--r--");
    var r = doctor("--json", "--non-interactive");
    JsonNode report = json(r);
    assertThat(report.path("stateDir").asText()).isEqualTo(state.toString());
    assertThat(report.path("configPath").asText()).isEqualTo(state.resolve("openclaw.json").toString());
    assertThat(report.path("agents").get(0).path("storePath").asText()).isEqualTo(store.toString());
    assertThat(report.path("fixRequested").asBoolean()).isFalse();
    assertThat(report.path("changes").isArray()).isTrue();
    for (JsonNode f : report.path("findings")) {
      assertThat(f.fieldNames()).toIterable().containsExactly(
          "code", "severity", "section", "agentId", "path", "what", "why", "fix", "autoFix");
      assertThat(f.path("severity").asText()).isIn("error", "warning", "info");
      assertThat(f.path("section").asText()).isIn("state", "auth", "profiles", "environment");
    }
    assertThat(report.path("summary").path("errors").asInt()).isEqualTo(2);
    assertThat(report.path("summary").path("autoFixable").asInt()).isEqualTo(1);
    assertThat(report.path("exitCode").asInt()).isEqualTo(r.exitCode()).isEqualTo(1);

    var fixed = json(doctor("--json", "--fix"));
    assertThat(fixed.path("fixRequested").asBoolean()).isTrue();
    JsonNode change = fixed.path("changes").get(0);
    assertThat(change.path("code").asText()).isEqualTo("loose-permissions");
    assertThat(change.path("path").asText()).isEqualTo(store.toString());
    assertThat(change.path("applied").asBoolean()).isTrue();
    assertThat(codes(fixed)).containsExactly("missing-credential");
  }

  @Test
  void helpDescribesTheCommandAndExitsZero() throws Exception {
    var r = doctor("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("Usage: clawauth doctor").contains("--fix, --repair").contains("--json");
    var unknown = doctor("--frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("Unknown option: '--frobnicate'");
  }

  private static JsonNode find(JsonNode report, String code) {
    List<JsonNode> all = findAll(report, code);
    assertThat(all).as("finding " + code + " in " + report.toPrettyString()).isNotEmpty();
    return all.get(0);
  }

  private static List<JsonNode> findAll(JsonNode report, String code) {
    List<JsonNode> out = new ArrayList<>();
    report.path("findings").forEach(f -> {
      if (f.path("code").asText().equals(code)) {
        out.add(f);
      }
    });
    return out;
  }
}
