package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.AgentContext;
import dev.clawauth.store.Credential;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The openai-codex login against a fake authorization server on loopback, in process. */
final class OpenAICodexLoginTest {
  @TempDir
  Path tmp;
  FakeOAuthServer server;
  OAuthFixture fx;

  @BeforeEach
  void start() throws Exception {
    server = new FakeOAuthServer();
    fx = new OAuthFixture(tmp, server, "openai-codex");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CompletableFuture<LoginResult> loginAsync(RecordingPrompter prompter, LoginOptions options) throws Exception {
    AgentContext agent = fx.agent();
    HttpClient http = HttpClient.newHttpClient();
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new OpenAICodexProvider().login(LoginSession.of(agent, prompter, options, fx.environment(), http));
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  private static LoginOptions callback(Duration timeout) {
    return new LoginOptions(false, false, timeout, null);
  }

  private static LoginOptions paste() {
    return new LoginOptions(true, false, Duration.ofSeconds(10), null);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
    return f.handle((r, e) -> e.getCause()).join();
  }

  @Test
  void callbackLogin_exchangesCodeWithPkce_andStoresProfileAndConfig() throws Exception {
    RecordingPrompter user = new RecordingPrompter(null);
    CompletableFuture<LoginResult> login = loginAsync(user, callback(Duration.ofSeconds(20)));
    String url = user.authorizeUrl.get(10, TimeUnit.SECONDS);

    // The authorize request carries every parameter of the spec, PKCE S256 and a 16-byte hex state.
    Map<String, String> q = UrlForms.decode(URI.create(url).getRawQuery());
    assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", FakeOAuthServer.CLIENT_ID)
        .containsEntry("redirect_uri", fx.redirectUri).containsEntry("scope", "openid profile email offline_access")
        .containsEntry("code_challenge_method", "S256").containsEntry("id_token_add_organizations", "true")
        .containsEntry("codex_cli_simplified_flow", "true").containsKey("originator");
    assertThat(q.get("state")).matches("[0-9a-f]{32}");
    assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");

    HttpResponse<String> page = TestBrowser.visit(url);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Authentication successful. Return to your terminal.");

    LoginResult r = login.get(20, TimeUnit.SECONDS);
    assertThat(server.codeExchanges.get()).isEqualTo(1);
    assertThat(server.lastTokenContentType).startsWith("application/x-www-form-urlencoded");
    assertThat(r.profileId()).isEqualTo("openai-codex:" + FakeOAuthServer.EMAIL);
    Credential.OAuth c = (Credential.OAuth) r.credential();
    assertThat(c.accountId()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    assertThat(c.email()).isEqualTo(FakeOAuthServer.EMAIL);
    assertThat(c.expires()).isBetween(System.currentTimeMillis() + 3_500_000L, System.currentTimeMillis() + 3_600_000L);

    AgentContext agent = fx.agent();
    LoginStore.save(agent, r.profileId(), r, true);
    JsonNode stored = new ObjectMapper().readTree(Files.readString(fx.storeFile()))
        .path("profiles").path(r.profileId());
    assertThat(stored.path("type").asText()).isEqualTo("oauth");
    assertThat(stored.path("provider").asText()).isEqualTo("openai-codex");
    assertThat(stored.path("access").asText()).isEqualTo(server.latestAccess);
    assertThat(stored.path("refresh").asText()).isEqualTo(server.latestRefresh);
    assertThat(stored.path("accountId").asText()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    assertThat(stored.path("expires").isNumber()).isTrue();
    assertThat(Files.getPosixFilePermissions(fx.storeFile())).hasSize(2);
    JsonNode config = new ObjectMapper().readTree(Files.readString(fx.state.resolve("openclaw.json")));
    assertThat(config.path("auth").path("profiles").path(r.profileId()).toString())
        .isEqualTo("{\"provider\":\"openai-codex\",\"mode\":\"oauth\"}");
    assertThat(config.path("agents").path("defaults").path("model").path("primary").asText())
        .isEqualTo("openai-codex/gpt-5.2");
    // The override of the endpoints survived the config write.
    assertThat(config.path("auth").path("oauth").path("openai-codex").path("tokenUrl").asText()).isEqualTo(server.tokenUrl());
    // No secret reached the user's screen.
    assertThat(user.transcript()).doesNotContain(server.latestAccess, server.latestRefresh);
  }

  @Test
  void callback_answers404ElsewhereAnd400WithoutCode_thenKeepsWaiting() throws Exception {
    RecordingPrompter user = new RecordingPrompter(null);
    CompletableFuture<LoginResult> login = loginAsync(user, callback(Duration.ofSeconds(20)));
    String url = user.authorizeUrl.get(10, TimeUnit.SECONDS);
    try (HttpClient c = HttpClient.newHttpClient()) {
      HttpResponse<String> other = c.send(HttpRequest.newBuilder(URI.create("http://localhost:" + fx.callbackPort + "/favicon.ico")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(404);
      String state = UrlForms.decode(URI.create(url).getRawQuery()).get("state");
      HttpResponse<String> noCode = c.send(HttpRequest.newBuilder(URI.create(fx.redirectUri + "?state=" + state)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(noCode.statusCode()).isEqualTo(400);
    }
    assertThat(login).isNotDone();
    assertThat(TestBrowser.visit(url).statusCode()).isEqualTo(200);
    assertThat(login.get(20, TimeUnit.SECONDS).credential()).isInstanceOf(Credential.OAuth.class);
  }

  @Test
  void wrongState_fails400StateMismatch_andWritesNothing() throws Exception {
    server.tamperState = true;
    RecordingPrompter user = new RecordingPrompter(null);
    CompletableFuture<LoginResult> login = loginAsync(user, callback(Duration.ofSeconds(20)));
    HttpResponse<String> page = TestBrowser.visit(user.authorizeUrl.get(10, TimeUnit.SECONDS));
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("State mismatch");
    assertThat(failure(login)).isInstanceOf(LoginException.class).hasMessageContaining("State mismatch");
    assertThat(server.codeExchanges.get()).isZero();
    assertThat(fx.storeFile()).doesNotExist();
  }

  @Test
  void deniedConsent_failsWithClearMessage() throws Exception {
    server.deny = true;
    RecordingPrompter user = new RecordingPrompter(null);
    CompletableFuture<LoginResult> login = loginAsync(user, callback(Duration.ofSeconds(20)));
    assertThat(TestBrowser.visit(user.authorizeUrl.get(10, TimeUnit.SECONDS)).statusCode()).isEqualTo(400);
    assertThat(failure(login)).isInstanceOf(LoginException.class)
        .hasMessageContaining("denied").hasMessageContaining("access_denied").hasMessageContaining("Nothing was saved");
    assertThat(fx.storeFile()).doesNotExist();
  }

  @Test
  void noBrowserReturn_timesOut_andFreesThePort() throws Exception {
    RecordingPrompter user = new RecordingPrompter(null);
    long t0 = System.nanoTime();
    CompletableFuture<LoginResult> login = loginAsync(user, callback(Duration.ofSeconds(1)));
    assertThat(failure(login)).isInstanceOf(LoginException.class).hasMessageContaining("Timed out after 1 s");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(fx.storeFile()).doesNotExist();
    // The one-shot listener is gone: the port can be bound again.
    try (ServerSocket s = new ServerSocket(fx.callbackPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(s.isBound()).isTrue();
    }
  }

  @Test
  void busyPort_fallsBackToPaste() throws Exception {
    try (ServerSocket busy = new ServerSocket(fx.callbackPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(busy.isBound()).isTrue();
      RecordingPrompter user = new RecordingPrompter(TestBrowser::redirectOf);
      LoginResult r = loginAsync(user, callback(Duration.ofSeconds(20))).get(20, TimeUnit.SECONDS);
      assertThat(user.transcript()).contains("the callback port " + fx.callbackPort + " is in use");
      assertThat(user.prompts).isEqualTo(1);
      assertThat(((Credential.OAuth) r.credential()).accountId()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    }
  }

  @Test
  void headlessHost_usesPasteWithoutAsking() throws Exception {
    fx.vars.remove("DISPLAY");
    fx.vars.put("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22");
    RecordingPrompter user = new RecordingPrompter(TestBrowser::redirectOf);
    LoginResult r = loginAsync(user, callback(Duration.ofSeconds(20))).get(20, TimeUnit.SECONDS);
    assertThat(user.transcript()).contains("Paste mode: this looks like an SSH session");
    assertThat(r.credential()).isInstanceOf(Credential.OAuth.class);
  }

  @Test
  void paste_acceptsRedirectUrlCodeHashStateQueryAndBareCode() throws Exception {
    Map<String, Function<String, String>> forms = Map.of(
        "full URL", url -> "  " + TestBrowser.redirectOf(url) + "  ",
        "code#state", url -> queryOf(url).get("code") + "#" + queryOf(url).get("state"),
        "query string", url -> URI.create(TestBrowser.redirectOf(url)).getRawQuery(),
        "bare code", url -> queryOf(url).get("code"));
    for (var form : forms.entrySet()) {
      RecordingPrompter user = new RecordingPrompter(form.getValue());
      LoginResult r = loginAsync(user, paste()).get(20, TimeUnit.SECONDS);
      assertThat(r.credential()).as(form.getKey()).isInstanceOf(Credential.OAuth.class);
    }
    assertThat(server.codeExchanges.get()).isEqualTo(4);
  }

  private static Map<String, String> queryOf(String authorizeUrl) {
    return UrlForms.decode(URI.create(TestBrowser.redirectOf(authorizeUrl)).getRawQuery());
  }

  @Test
  void paste_withOtherState_failsStateMismatch() throws Exception {
    RecordingPrompter user = new RecordingPrompter(url -> queryOf(url).get("code") + "#ffffffffffffffffffffffffffffffff");
    assertThat(failure(loginAsync(user, paste()))).isInstanceOf(LoginException.class).hasMessageContaining("State mismatch");
    assertThat(server.codeExchanges.get()).isZero();
  }

  @Test
  void paste_empty_failsAndWritesNothing() throws Exception {
    RecordingPrompter user = new RecordingPrompter(url -> "   ");
    assertThat(failure(loginAsync(user, paste()))).isInstanceOf(LoginException.class).hasMessageContaining("Nothing was pasted");
    assertThat(fx.storeFile()).doesNotExist();
  }

  @Test
  void tokenEndpointError_failsWithStatus_andWritesNothing() throws Exception {
    server.then(new FakeOAuthServer.Fail(500, "server_error"));
    RecordingPrompter user = new RecordingPrompter(TestBrowser::redirectOf);
    assertThat(failure(loginAsync(user, paste()))).isInstanceOf(LoginException.class)
        .hasMessageContaining("HTTP 500").hasMessageContaining("Nothing was saved");
    assertThat(fx.storeFile()).doesNotExist();
  }

  @Test
  void accessTokenWithoutAccountClaim_failsTheLogin() throws Exception {
    server.omitAccountClaim = true;
    RecordingPrompter user = new RecordingPrompter(TestBrowser::redirectOf);
    assertThat(failure(loginAsync(user, paste()))).isInstanceOf(LoginException.class)
        .hasMessageContaining("chatgpt_account_id");
  }
}
