package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.store.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claude Pro/Max OAuth: the redirect goes to Anthropic's page, so the user always pastes code#state. */
final class AnthropicOAuthLoginTest {
  @TempDir
  Path tmp;
  FakeOAuthServer server;
  OAuthFixture fx;

  @BeforeEach
  void start() throws Exception {
    server = new FakeOAuthServer();
    fx = new OAuthFixture(tmp, server, "anthropic");
    Files.writeString(fx.state.resolve("openclaw.json"), server.config("anthropic", "https://console.example.invalid/oauth/code/callback"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void pastedCodeHashState_isExchangedAsJson_withFiveMinutesOffTheExpiry() throws Exception {
    RecordingPrompter user = new RecordingPrompter(url -> {
      Map<String, String> q = UrlForms.decode(URI.create(TestBrowser.redirectOf(url)).getRawQuery());
      return q.get("code") + "#" + q.get("state");
    });
    LoginResult r;
    try (HttpClient http = HttpClient.newHttpClient()) {
      r = new AnthropicOAuthProvider().login(LoginSession.of(fx.agent(), user,
          new LoginOptions(false, false, Duration.ofSeconds(10), "oauth"), fx.environment(), http));
    }
    assertThat(server.lastAuthorizeQuery).containsEntry("code", "true").containsEntry("code_challenge_method", "S256");
    assertThat(server.lastTokenContentType).startsWith("application/json");
    assertThat(user.transcript()).doesNotContain("Waiting for the browser");
    assertThat(r.profileId()).isEqualTo("anthropic:oauth");
    Credential.OAuth c = (Credential.OAuth) r.credential();
    assertThat(c.refresh().value()).isEqualTo(server.latestRefresh);
    long expected = System.currentTimeMillis() + 3_600_000L - 300_000L;
    assertThat(c.expires()).isBetween(expected - 10_000, expected + 1000);
  }
}
