package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.oauth.FakeOAuthServer;
import dev.clawauth.oauth.TestBrowser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clawauth models auth login} and {@code refresh} end to end: the real jar, the fake server. */
final class LoginCommandTest {
  @TempDir
  Path tmp;
  Path home;
  Path state;
  FakeOAuthServer server;
  String redirectUri;
  ClawauthProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeOAuthServer();
    home = Files.createDirectories(tmp.resolve("home"));
    state = Files.createDirectories(tmp.resolve("state"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redirectUri = "http://localhost:" + port + "/auth/callback";
    Files.writeString(state.resolve("openclaw.json"), server.config("openai-codex", redirectUri));
    cli = new ClawauthProcess(home, state);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private Path store() {
    return state.resolve("agents/main/agent/auth-profiles.json");
  }

  /** A running login: stderr is read line by line so the test can act on the printed URL. */
  private record Running(Process process, CompletableFuture<String> url, StringBuffer err, CompletableFuture<String> out) {
    ClawauthProcess.Result finish() throws Exception {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(100);
      return new ClawauthProcess.Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.toString());
    }
  }

  private Running start(String... args) throws IOException {
    Process p = cli.start(args);
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuffer err = new StringBuffer();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          err.append(l).append('\n');
          if (l.trim().startsWith("http")) {
            url.complete(l.trim());
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
      url.complete(null);
    });
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
    return new Running(p, url, err, out);
  }

  private void assertNoSecrets(ClawauthProcess.Result r) {
    assertThat(r.stdout() + r.stderr()).doesNotContain(server.latestAccess).doesNotContain(server.latestRefresh);
  }

  @Test
  void sshSession_pastesTheRedirectUrlFromStdin_andStoresTheProfile() throws Exception {
    cli.env("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22").env("DISPLAY", ":0");
    Running run = start("models", "auth", "login", "--provider", "openai-codex", "--set-default");
    String url = run.url().get(60, TimeUnit.SECONDS);
    assertThat(url).as(run.err().toString()).startsWith(server.authorizeUrl());
    String pasted = TestBrowser.redirectOf(url);
    run.process().getOutputStream().write((pasted + "\n").getBytes(StandardCharsets.UTF_8));
    run.process().getOutputStream().close();
    ClawauthProcess.Result r = run.finish();

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).contains("Paste mode: this looks like an SSH session");
    String id = "openai-codex:" + FakeOAuthServer.EMAIL;
    assertThat(r.stdout()).contains("Auth profile: " + id + " (openai-codex/oauth)")
        .contains("Account: " + FakeOAuthServer.ACCOUNT_ID)
        .contains("Access token: " + dev.clawauth.store.Secret.mask(server.latestAccess))
        .contains("Default model: openai-codex/gpt-5.2");
    assertNoSecrets(r);
    JsonNode p = new ObjectMapper().readTree(Files.readString(store())).path("profiles").path(id);
    assertThat(p.path("refresh").asText()).isEqualTo(server.latestRefresh);
    assertThat(Files.getPosixFilePermissions(store()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");

    ClawauthProcess.Result status = cli.run("models", "status");
    assertThat(status.stdout()).contains(id);
    assertNoSecrets(status);
  }

  @Test
  void desktop_receivesTheBrowserCallback() throws Exception {
    cli.env("DISPLAY", ":0");
    Running run = start("models", "auth", "login", "--provider", "openai-codex", "--no-browser",
        "--profile-id", "openai-codex:work");
    String url = run.url().get(60, TimeUnit.SECONDS);
    assertThat(url).as(run.err().toString()).isNotNull();
    // The listener is up once the URL is printed; the "browser" follows the redirect to it.
    var page = TestBrowser.visit(url);
    assertThat(page.statusCode()).isEqualTo(200);
    ClawauthProcess.Result r = run.finish();
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Auth profile: openai-codex:work (openai-codex/oauth)");
    assertThat(Files.readString(store())).contains("\"openai-codex:work\"");
    assertNoSecrets(r);
  }

  @Test
  void pastedCodeOfAnotherAttempt_exitsOneWithOneLine_andWritesNothing() throws Exception {
    ClawauthProcess.Result r = cli.runWithInput("somecode#00000000000000000000000000000000\n",
        "models", "auth", "login", "--provider", "openai-codex", "--paste");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines().filter(l -> l.startsWith("Error: "))).singleElement().asString()
        .contains("State mismatch");
    assertThat(store()).doesNotExist();
    assertThat(server.codeExchanges.get()).isZero();
  }

  @Test
  void unknownProvider_andTimeout_failWithClearMessages() throws Exception {
    ClawauthProcess.Result unknown = cli.run("models", "auth", "login", "--provider", "nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("No login flow for provider \"nope\"").contains("openai-codex");

    ClawauthProcess.Result timeout = cli.env("DISPLAY", ":0")
        .run("models", "auth", "login", "--provider", "openai-codex", "--no-browser", "--timeout", "2s");
    assertThat(timeout.exitCode()).isEqualTo(1);
    assertThat(timeout.stderr()).contains("Error: Timed out after 2 s");
    assertThat(store()).doesNotExist();
  }

  @Test
  void anthropicSetupToken_isValidatedBeforeItIsStored() throws Exception {
    ClawauthProcess.Result bad = cli.runWithInput("sk-ant-oat01-short\n", "models", "auth", "login", "--provider", "anthropic");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains("Token looks too short");
    assertThat(bad.stderr()).doesNotContain("sk-ant-oat01-short");
    assertThat(store()).doesNotExist();

    String token = "sk-ant-oat01-TEST-d-oauth-setup-token-0101-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    ClawauthProcess.Result ok = cli.runWithInput(token + "\n", "models", "auth", "login", "--provider", "anthropic");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout()).contains("Auth profile: anthropic:default (anthropic/token)");
    assertThat(ok.stdout() + ok.stderr()).doesNotContain(token);
    assertThat(Files.readString(store())).contains(token);

    ClawauthProcess.Result key = cli.runWithInput("sk-ant-api03-TEST-d-oauth-api-key-0102-kkkkkkkkkkkkkkkkkkkk\n", "models", "auth", "login",
        "--provider", "anthropic", "--method", "api-key", "--profile-id", "anthropic:key");
    assertThat(key.exitCode()).as(key.toString()).isZero();
    assertThat(key.stdout()).contains("Auth profile: anthropic:key (anthropic/api_key)");

    // The default id already holds a token: an API key does not silently replace it.
    ClawauthProcess.Result clash = cli.runWithInput("sk-ant-api03-TEST-d-oauth-api-key-0102-kkkkkkkkkkkkkkkkkkkk\n", "models", "auth", "login",
        "--provider", "anthropic", "--method", "api-key");
    assertThat(clash.exitCode()).isEqualTo(1);
    assertThat(clash.stderr()).contains("Profile anthropic:default already holds a token credential");
    assertThat(Files.readString(store())).contains(token);
  }

  private void seedExpired() throws Exception {
    String[] t = server.issueInitial();
    Files.createDirectories(store().getParent());
    Files.writeString(store(), """
        {"version":1,"profiles":{"openai-codex:default":{"type":"oauth","provider":"openai-codex",
        "access":"%s","refresh":"%s","expires":%d,"accountId":"%s"}}}
        """.formatted(t[0], t[1], System.currentTimeMillis() - 60_000, FakeOAuthServer.ACCOUNT_ID));
    Files.writeString(state.resolve("openclaw.json"), """
        {"auth":{"oauth":{"openai-codex":{"tokenUrl":"%s","clientId":"%s"}}},
         "agents":{"defaults":{"model":{"primary":"openai-codex/gpt-5.2"}}}}
        """.formatted(server.tokenUrl(), FakeOAuthServer.CLIENT_ID));
  }

  @Test
  void refreshCommand_refreshesAnExpiredProfile() throws Exception {
    seedExpired();
    ClawauthProcess.Result r = cli.run("models", "auth", "refresh", "openai-codex:default");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("openai-codex:default: refreshed (expires in 1h)")
        .contains(dev.clawauth.store.Secret.mask(server.latestAccess));
    assertNoSecrets(r);
    ClawauthProcess.Result again = cli.run("models", "auth", "refresh", "openai-codex:default");
    assertThat(again.stdout()).contains("still fresh, nothing sent");
    assertThat(server.refreshRequests.get()).isEqualTo(1);
  }

  @Test
  void revokedRefreshToken_showsNeedsLoginWithTheCommand_inModelsStatus() throws Exception {
    seedExpired();
    server.then(new FakeOAuthServer.Fail(400, "invalid_grant"));
    String before = Files.readString(store());
    ClawauthProcess.Result r = cli.run("models", "auth", "refresh", "openai-codex:default");
    assertThat(r.exitCode()).isEqualTo(1);
    String fix = "clawauth models auth login --provider openai-codex --profile-id openai-codex:default";
    assertThat(r.stderr()).contains("invalid_grant").contains(fix);
    assertNoSecrets(r);
    // Tokens are kept as they were; only the re-login mark is added.
    JsonNode was = new ObjectMapper().readTree(before).path("profiles").path("openai-codex:default");
    JsonNode now = new ObjectMapper().readTree(Files.readString(store())).path("profiles").path("openai-codex:default");
    assertThat(now.path("access")).isEqualTo(was.path("access"));
    assertThat(now.path("refresh")).isEqualTo(was.path("refresh"));

    ClawauthProcess.Result status = cli.run("models", "status");
    assertThat(status.stdout()).contains("NEEDS LOGIN: run `" + fix + "`");
    ClawauthProcess.Result check = cli.run("models", "status", "--check");
    assertThat(check.exitCode()).isEqualTo(1);
  }

  @Test
  void transientRefreshFailure_putsTheProfileInCooldown() throws Exception {
    seedExpired();
    server.then(new FakeOAuthServer.Fail(502, "bad_gateway"));
    ClawauthProcess.Result r = cli.run("models", "auth", "refresh", "openai-codex:default");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("HTTP 502").contains("cools down for 1m");
    ClawauthProcess.Result status = cli.run("models", "status");
    assertThat(status.stdout()).contains("cooldown");
    assertThat(Files.readString(store())).contains(server.latestRefresh);
  }

  // ---- OpenClaw 2026.9's SQLite store, where Codex OAuth is provider openai

  static final String OPENAI_KEY = dev.clawauth.testing.TestSecrets.get("CODEX_ID_OPENAI_KEY");

  private Path sharedDb() {
    return state.resolve("state/openclaw.sqlite");
  }

  /** The shared store as OpenClaw 2026.9 leaves it: its table and the row that says it is there. */
  private void openClaw9(String profilesJson) throws Exception {
    Files.createDirectories(sharedDb().getParent());
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + sharedDb()); var st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL,"
          + " updated_at_ms INTEGER NOT NULL) STRICT");
      st.execute("INSERT INTO config_machine_state VALUES ('auth.sharedStore', '{\"location\":\"state-db\"}', 1)");
      if (profilesJson != null) {
        try (var ps = c.prepareStatement("INSERT INTO config_machine_state VALUES ('authProfiles.store', ?, 1)")) {
          ps.setString(1, "{\"version\":1,\"profiles\":" + profilesJson + "}");
          ps.executeUpdate();
        }
      }
    }
  }

  private JsonNode sharedProfile(String id) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + sharedDb());
        var rs = c.createStatement().executeQuery(
            "SELECT value_json FROM config_machine_state WHERE state_key = 'authProfiles.store'")) {
      return rs.next() ? new ObjectMapper().readTree(rs.getString(1)).path("profiles").path(id)
          : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  @Test
  void openClaw9_loginAsOpenaiCodex_storesProviderOpenaiAsOpenClawDoes() throws Exception {
    openClaw9(null);
    cli.env("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22").env("DISPLAY", ":0");
    Running run = start("models", "auth", "login", "--provider", "openai-codex", "--set-default");
    String url = run.url().get(60, TimeUnit.SECONDS);
    assertThat(url).as(run.err().toString()).startsWith(server.authorizeUrl());
    run.process().getOutputStream().write((TestBrowser.redirectOf(url) + "\n").getBytes(StandardCharsets.UTF_8));
    run.process().getOutputStream().close();
    ClawauthProcess.Result r = run.finish();

    assertThat(r.exitCode()).as(r.toString()).isZero();
    String id = "openai:" + FakeOAuthServer.EMAIL;
    assertThat(r.stdout()).contains("Auth profile: " + id + " (openai/oauth)")
        .contains("Default model: openai/gpt-6-astra");
    assertNoSecrets(r);
    JsonNode p = sharedProfile(id);
    assertThat(p.path("type").asText()).isEqualTo("oauth");
    assertThat(p.path("provider").asText()).isEqualTo("openai");
    assertThat(p.path("accountId").asText()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    assertThat(p.path("refresh").asText()).isEqualTo(server.latestRefresh);
    assertThat(sharedProfile("openai-codex:" + FakeOAuthServer.EMAIL).isMissingNode()).isTrue();
    JsonNode entry = new ObjectMapper().readTree(Files.readString(state.resolve("openclaw.json")))
        .path("auth").path("profiles").path(id);
    assertThat(entry.path("provider").asText()).isEqualTo("openai");
    assertThat(entry.path("mode").asText()).isEqualTo("oauth");
    assertThat(store()).doesNotExist();

    // --provider openai is the same login there, and a legacy id is stored as OpenClaw renames it.
    Running again = start("models", "auth", "login", "--provider", "openai", "--profile-id", "openai-codex:work");
    String url2 = again.url().get(60, TimeUnit.SECONDS);
    assertThat(url2).as(again.err().toString()).startsWith(server.authorizeUrl());
    again.process().getOutputStream().write((TestBrowser.redirectOf(url2) + "\n").getBytes(StandardCharsets.UTF_8));
    again.process().getOutputStream().close();
    ClawauthProcess.Result r2 = again.finish();
    assertThat(r2.exitCode()).as(r2.toString()).isZero();
    assertThat(r2.stderr()).contains("Storing it as openai:work");
    assertThat(r2.stdout()).contains("Auth profile: openai:work (openai/oauth)");
    assertThat(sharedProfile("openai:work").path("provider").asText()).isEqualTo("openai");
    assertThat(sharedProfile("openai-codex:work").isMissingNode()).isTrue();
  }

  @Test
  void openClaw9_anOpenaiOAuthProfileOpenClawWrote_isShownAsOAuth_andRefreshedByTheCodexFlow() throws Exception {
    String[] t = server.issueInitial();
    // As OpenClaw 2026.9's ChatGPT login writes it (its refresh keeps these fields).
    openClaw9("""
        {"openai:default":{"type":"oauth","provider":"openai","access":"%s","refresh":"%s","expires":%d,
          "email":"%s","accountId":"%s","chatgptPlanType":"plus"},
         "openai:manual":{"type":"api_key","provider":"openai","key":"%s"}}
        """.formatted(t[0], t[1], System.currentTimeMillis() - 60_000, FakeOAuthServer.EMAIL,
        FakeOAuthServer.ACCOUNT_ID, OPENAI_KEY));
    Files.writeString(state.resolve("openclaw.json"), """
        {"auth":{"oauth":{"openai-codex":{"tokenUrl":"%s","clientId":"%s"}}}}
        """.formatted(server.tokenUrl(), FakeOAuthServer.CLIENT_ID));

    ClawauthProcess.Result r = cli.run("models", "auth", "refresh", "openai:default");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("openai:default: refreshed (expires in 1h)");
    assertNoSecrets(r);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    JsonNode p = sharedProfile("openai:default");
    assertThat(p.path("provider").asText()).isEqualTo("openai");
    assertThat(p.path("access").asText()).isEqualTo(server.latestAccess);
    assertThat(p.path("refresh").asText()).isEqualTo(server.latestRefresh).isNotEqualTo(t[1]);
    assertThat(p.path("expires").asLong()).isGreaterThan(System.currentTimeMillis() + 50 * 60_000);
    assertThat(p.path("chatgptPlanType").asText()).as("OpenClaw's own fields are kept").isEqualTo("plus");
    assertThat(state.resolve("locks/oauth-refresh/lock-5440fa0b86d2697ef1152f7cb32a8157.lock")).doesNotExist();
    assertThat(store()).doesNotExist();

    ClawauthProcess.Result status = cli.run("models", "status", "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertNoSecrets(status);
    JsonNode oauth = null;
    for (JsonNode n : new ObjectMapper().readTree(status.stdout()).path("auth").path("oauth").path("profiles")) {
      if (n.path("profileId").asText().equals("openai:default")) {
        oauth = n;
      }
    }
    assertThat(oauth).as(status.stdout()).isNotNull();
    assertThat(oauth.path("type").asText()).isEqualTo("oauth");
    // One hour left is inside the 24 h warning window, as OpenClaw words it too.
    assertThat(oauth.path("status").asText()).isEqualTo("expiring");
    assertThat(oauth.path("renews").asBoolean()).isTrue();
    assertThat(oauth.path("expiresAt").asLong()).isEqualTo(p.path("expires").asLong());

    // The API key of the same provider stays an API key: nothing to refresh.
    ClawauthProcess.Result key = cli.run("models", "auth", "refresh", "openai:manual");
    assertThat(key.exitCode()).isEqualTo(1);
    assertThat(key.stderr()).contains("not OAuth").doesNotContain(OPENAI_KEY);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
  }
}
