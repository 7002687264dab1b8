package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.AgentContext;
import dev.clawauth.status.StatusReport;
import dev.clawauth.store.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TokenRefresher} against the fake token endpoint, in one process. */
final class TokenRefresherTest {
  static final String ID = "openai-codex:default";

  @TempDir
  Path tmp;
  FakeOAuthServer server;
  OAuthFixture fx;
  TokenRefresher refresher;

  @BeforeEach
  void start() throws Exception {
    server = new FakeOAuthServer();
    fx = new OAuthFixture(tmp, server, "openai-codex");
    refresher = TokenRefresher.builder().jitter(Duration.ZERO).build();
  }

  @AfterEach
  void stop() {
    refresher.close();
    server.close();
  }

  private JsonNode storedProfile(String id) throws Exception {
    return new ObjectMapper().readTree(Files.readString(fx.storeFile())).path("profiles").path(id);
  }

  @Test
  void expiredProfile_isRefreshedOnce_andTheNewTokensAreStored() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    AgentContext agent = fx.agent();

    RefreshResult first = refresher.refresh(agent, ID, false);
    RefreshResult second = refresher.refresh(agent, ID, false);

    assertThat(first.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertThat(second.outcome()).isEqualTo(RefreshResult.Outcome.FRESH);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    JsonNode p = storedProfile(ID);
    assertThat(p.path("access").asText()).isEqualTo(server.latestAccess);
    assertThat(p.path("refresh").asText()).isEqualTo(server.latestRefresh);
    assertThat(p.path("expires").asLong()).isGreaterThan(System.currentTimeMillis() + 3_000_000L);
    assertThat(p.path("accountId").asText()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    assertThat(second.credential().access().value()).isEqualTo(server.latestAccess);
  }

  @Test
  void tokenWellBeforeItsMargin_isUsedAsIs_andOneInsideTheMarginIsRefreshed() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() + Duration.ofMinutes(10).toMillis());
    assertThat(refresher.refresh(fx.agent(), ID, false).outcome()).isEqualTo(RefreshResult.Outcome.FRESH);
    assertThat(server.refreshRequests.get()).isZero();

    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() + Duration.ofMinutes(4).toMillis());
    assertThat(refresher.refresh(fx.agent(), ID, false).outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
  }

  @Test
  void rotation_neverSendsARefreshTokenTwice() throws Exception {
    String[] initial = fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    Set<String> seen = new HashSet<>();
    seen.add(initial[1]);
    for (int i = 0; i < 5; i++) {
      Credential.OAuth c = refresher.refresh(fx.agent(), ID, true).credential();
      assertThat(seen.add(c.refresh().value())).as("refresh token %d is new", i).isTrue();
      assertThat(server.isLive(c.refresh().value())).isTrue();
    }
    assertThat(server.refreshesGranted.get()).isEqualTo(5);
    assertThat(server.refreshReuse.get()).isZero();
    // The fake really rejects a reused token: the first one now fails, terminally.
    fx.agent().store().update(doc -> {
      Credential.OAuth c = (Credential.OAuth) doc.profile(ID).orElseThrow();
      doc.updateProfile(ID, new Credential.OAuth(c.provider(), c.access(), new dev.clawauth.store.Secret(initial[1]),
          0, c.accountId(), null, null));
      return null;
    });
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false)).isInstanceOf(RefreshException.class)
        .matches(e -> ((RefreshException) e).terminal());
    assertThat(server.refreshReuse.get()).isEqualTo(1);
  }

  @Test
  void transientFailure_coolsDownAndKeepsTheTokens() throws Exception {
    String[] t = fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    server.then(new FakeOAuthServer.Fail(503, "temporarily_unavailable"));
    String before = storedProfile(ID).toString();

    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false))
        .isInstanceOf(RefreshException.class)
        .matches(e -> !((RefreshException) e).terminal())
        .hasMessageContaining("HTTP 503").hasMessageContaining("stored tokens are kept")
        .hasMessageNotContaining(t[1]);

    assertThat(storedProfile(ID).toString()).isEqualTo(before);
    JsonNode usage = new ObjectMapper().readTree(Files.readString(fx.storeFile())).path("usageStats").path(ID);
    assertThat(usage.path("cooldownUntil").asLong()).isGreaterThan(System.currentTimeMillis());
    assertThat(usage.path("errorCount").asInt()).isEqualTo(1);
    // The refresh token was not consumed, so the next attempt works.
    assertThat(refresher.refresh(fx.agent(), ID, false).outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
  }

  @Test
  void transientFailureInsideTheMargin_returnsTheStillValidToken_andBacksOff() throws Exception {
    String[] t = fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() + Duration.ofMinutes(2).toMillis());
    server.then(new FakeOAuthServer.Fail(500, "server_error"));
    RefreshResult r = refresher.refresh(fx.agent(), ID, false);
    assertThat(r.outcome()).isEqualTo(RefreshResult.Outcome.DEFERRED);
    assertThat(r.credential().access().value()).isEqualTo(t[0]);
    assertThat(new ObjectMapper().readTree(Files.readString(fx.storeFile())).path("usageStats").path(ID).isMissingNode())
        .as("no cooldown while the token works").isTrue();
    // Within the back-off nothing is sent; the stored token keeps being served.
    assertThat(refresher.refresh(fx.agent(), ID, false).outcome()).isEqualTo(RefreshResult.Outcome.DEFERRED);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
  }

  @Test
  void unreachableTokenEndpoint_isTransient() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    int closedPort = OAuthFixture.freePort();
    Files.writeString(fx.state.resolve("openclaw.json"),
        "{auth:{oauth:{'openai-codex':{tokenUrl:'http://127.0.0.1:" + closedPort + "/token',clientId:'test-client'}}}}");
    String before = storedProfile(ID).toString();
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false)).isInstanceOf(RefreshException.class)
        .matches(e -> !((RefreshException) e).terminal()).hasMessageContaining("cannot connect");
    assertThat(storedProfile(ID).toString()).isEqualTo(before);
  }

  @Test
  void invalidGrant_marksTheProfileForReLogin_withoutBlankingIt() throws Exception {
    String[] t = fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    server.then(new FakeOAuthServer.Fail(400, "invalid_grant"));

    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false))
        .isInstanceOf(RefreshException.class)
        .matches(e -> ((RefreshException) e).terminal())
        .hasMessageContaining("invalid_grant")
        .hasMessageContaining("clawauth models auth login --provider openai-codex --profile-id " + ID);

    JsonNode p = storedProfile(ID);
    assertThat(p.path("access").asText()).isEqualTo(t[0]);
    assertThat(p.path("refresh").asText()).isEqualTo(t[1]);
    assertThat(p.path("clawauthRelogin").path("reason").asText()).isEqualTo("invalid_grant");
    JsonNode status = StatusReport.build(fx.agent());
    assertThat(status.toString()).contains("\"needsRelogin\":true")
        .contains("clawauth models auth login --provider openai-codex --profile-id " + ID);
    // A marked profile is not sent to the token endpoint again.
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false)).isInstanceOf(RefreshException.class);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
  }

  @Test
  void threadsOfOneProcess_shareOneRefresh() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    server.refreshDelay(300);
    AgentContext agent = fx.agent();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Credential.OAuth>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
      for (int i = 0; i < 32; i++) {
        calls.add(pool.submit(() -> {
          go.await();
          return refresher.ensureFresh(agent, ID);
        }));
      }
      go.countDown();
      for (Future<Credential.OAuth> f : calls) {
        assertThat(f.get().access().value()).isEqualTo(server.latestAccess);
      }
    }
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    assertThat(refresher.refreshCount()).isEqualTo(1);
  }

  @Test
  void anthropicRefresh_sendsJson_andKeepsFiveMinutesInHand() throws Exception {
    Files.writeString(fx.state.resolve("openclaw.json"), server.config("anthropic", "https://example.invalid/cb"));
    String id = "anthropic:claude-cli";
    fx.seedProfile(server, "anthropic", id, System.currentTimeMillis() - 1000);
    Credential.OAuth c = refresher.ensureFresh(fx.agent(), id);
    assertThat(server.lastTokenContentType).startsWith("application/json");
    assertThat(c.refresh().value()).isEqualTo(server.latestRefresh);
    long expected = System.currentTimeMillis() + 3_600_000L - 300_000L;
    assertThat(c.expires()).isBetween(expected - 10_000, expected + 1000);
  }

  @Test
  void missingOrNonOAuthProfile_isAClearTerminalError() throws Exception {
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), "openai-codex:nobody", false))
        .isInstanceOf(RefreshException.class).hasMessageContaining("no such profile");
    fx.agent().store().update(doc -> {
      doc.putProfile("anthropic:key", new Credential.ApiKey("anthropic", new dev.clawauth.store.Secret("sk-ant-api03-x"), null));
      return null;
    });
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), "anthropic:key", false))
        .isInstanceOf(RefreshException.class).hasMessageContaining("not OAuth");
  }
}
