package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.store.Credential;
import dev.clawauth.store.OAuthFence;
import dev.clawauth.store.sqlite.RefreshLockFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TokenRefresher} on OpenClaw 2026.9's SQLite store: new tokens land in the row OpenClaw
 * reads, the refresh queues behind OpenClaw's per-profile lock file, a refresh OpenClaw has claimed
 * (its pending fence) is waited for rather than repeated, and a refused refresh token is recorded
 * as OpenClaw's failed fence.
 */
final class SqliteRefreshTest {
  static final String ID = "openai-codex:default";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  FakeOAuthServer server;
  OAuthFixture fx;
  TokenRefresher refresher;

  @BeforeEach
  void start() throws Exception {
    server = new FakeOAuthServer();
    fx = new OAuthFixture(tmp, server, "openai-codex").useSqlite();
    refresher = TokenRefresher.builder().jitter(Duration.ZERO).foreignWait(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() {
    refresher.close();
    server.close();
  }

  private JsonNode sharedProfile() throws Exception {
    return JSON.readTree(fx.sharedRow("authProfiles.store")).path("profiles").path(ID);
  }

  @Test
  void newTokensLandInTheSharedRowAndNoFileIsWritten() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    RefreshResult r = refresher.refresh(fx.agent(), ID, false);
    assertThat(r.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    JsonNode p = sharedProfile();
    assertThat(p.path("access").asText()).isEqualTo(server.latestAccess);
    assertThat(p.path("refresh").asText()).isEqualTo(server.latestRefresh);
    assertThat(p.path("accountId").asText()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    assertThat(fx.storeFile()).doesNotExist();
    assertThat(RefreshLockFile.path(fx.state, "openai-codex", ID)).as("the lock is released").doesNotExist();
  }

  @Test
  void aCopyInAnotherAgentsDatabaseHoldingTheSpentTokenIsRetired() throws Exception {
    String[] t = fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    // Agent work holds its own copy with the same refresh token (OpenClaw calls it a peer).
    var work = dev.clawauth.AgentContext.open(fx.environment(), "work", java.time.Clock.systemUTC());
    work.store().update(doc -> {
      doc.putProfile(ID, new Credential.OAuth("openai-codex", new dev.clawauth.store.Secret(t[0]),
          new dev.clawauth.store.Secret(t[1]), System.currentTimeMillis() - 1000, FakeOAuthServer.ACCOUNT_ID, null, null));
      doc.putProfile("anthropic:mine", new Credential.ApiKey("anthropic",
          new dev.clawauth.store.Secret("sk-ant-api03-TEST-sqlite-refresh-work-key-0007"), null));
      return null;
    });
    refresher.refresh(fx.agent(), ID, false);
    var seen = work.store().read();
    assertThat(((Credential.OAuth) seen.profile(ID).orElseThrow()).refresh().value())
        .as("work reads the shared, refreshed profile again").isEqualTo(server.latestRefresh);
    assertThat(seen.profiles()).containsKey("anthropic:mine");
    assertThat(server.refreshReuse.get()).isZero();
  }

  @Test
  void aRefreshOpenClawHasClaimedIsWaitedForNotRepeated() throws Exception {
    String[] t = fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    ObjectMapper m = JSON;
    // OpenClaw's pending fence over the stored tokens (identity fields kept), as its claim writes it.
    OAuthFence failed = OAuthFence.failedOver(ID, "openai-codex", t[0], t[1]);
    OAuthFence pending = new OAuthFence(failed.claimId(), OAuthFence.State.PENDING, failed.accessDigest(),
        failed.refreshDigest());
    var row = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(fx.sharedRow("authProfiles.store"));
    var p = (com.fasterxml.jackson.databind.node.ObjectNode) row.path("profiles").path(ID);
    p.put("access", pending.accessValue()).put("refresh", pending.refreshValue()).put("expires", 1);
    fx.setSharedRow("authProfiles.store", m.writeValueAsString(row));

    var result = CompletableFuture.supplyAsync(() -> {
      try {
        return refresher.refresh(fx.agent(), ID, false);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    // OpenClaw settles its claim with new tokens a moment later.
    Thread.sleep(300);
    assertThat(result).isNotDone();
    p.put("access", "eyFAKE-access-settled-by-openclaw-0001").put("refresh", "FAKE-refresh-settled-by-openclaw-0001")
        .put("expires", System.currentTimeMillis() + 3_600_000L);
    fx.setSharedRow("authProfiles.store", m.writeValueAsString(row));

    RefreshResult r = result.get(20, TimeUnit.SECONDS);
    assertThat(r.credential().access().value()).isEqualTo("eyFAKE-access-settled-by-openclaw-0001");
    assertThat(server.refreshRequests.get()).as("nothing sent: OpenClaw holds that refresh").isZero();
  }

  @Test
  void aRefreshQueuesBehindOpenClawsLockFileUntilItsHolderIsGone() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    Path lock = RefreshLockFile.path(fx.state, "openai-codex", ID);
    assertThat(refreshBehindALiveHolder(lock, ID, "waits while the holder lives").outcome())
        .isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    assertThat(lock).doesNotExist();
  }

  /**
   * Writes {@code lock} in OpenClaw's format for a live process (as OpenClaw would hold it), starts
   * a refresh of {@code id}, checks that it waits without a token request, then lets the holder die
   * without releasing: OpenClaw's rule (no such pid) lets the refresh take the lock over.
   */
  private RefreshResult refreshBehindALiveHolder(Path lock, String id, String why) throws Exception {
    Files.createDirectories(lock.getParent());
    Process holder = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(lock, "{\n  \"pid\": " + holder.pid() + ",\n  \"createdAt\": \"" + java.time.Instant.now()
          + "\"\n}\n");
      var result = CompletableFuture.supplyAsync(() -> {
        try {
          return refresher.refresh(fx.agent(), id, false);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      // Waiting is shown by what has not happened yet, so it takes a window rather than a deadline.
      Thread.sleep(500);
      assertThat(result).as(why).isNotDone();
      assertThat(server.refreshRequests.get()).isZero();
      holder.destroyForcibly().waitFor();
      return result.get(30, TimeUnit.SECONDS);
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aRefusedRefreshTokenBecomesOpenClawsFailedFence() throws Exception {
    fx.seedProfile(server, "openai-codex", ID, System.currentTimeMillis() - 1000);
    server.then(new FakeOAuthServer.Fail(400, "invalid_grant"));
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false)).isInstanceOf(RefreshException.class)
        .matches(e -> ((RefreshException) e).terminal());
    JsonNode p = sharedProfile();
    var fence = OAuthFence.parse(p.path("access").asText(), p.path("refresh").asText(), p.path("expires").asLong());
    assertThat(fence).get().extracting(OAuthFence::state).isEqualTo(OAuthFence.State.FAILED);
    assertThat(p.has("clawauthRelogin")).as("nothing of Clawauth's own in OpenClaw's row").isFalse();
    assertThat(p.path("accountId").asText()).isEqualTo(FakeOAuthServer.ACCOUNT_ID);
    assertThat(((Credential.OAuth) fx.agent().store().read().profile(ID).orElseThrow()).needsRelogin()).isTrue();
    assertThatThrownBy(() -> refresher.refresh(fx.agent(), ID, false)).isInstanceOf(RefreshException.class);
    assertThat(server.refreshRequests.get()).as("never sent again").isEqualTo(1);
  }

  /**
   * OpenClaw 2026.9 stores Codex OAuth as provider openai: the Codex flow refreshes it (its token
   * endpoint and client id), and the refresh queues behind OpenClaw's lock for ["openai", id].
   */
  @Test
  void anOpenaiOAuthProfileIsRefreshedByTheCodexFlowBehindOpenClawsLockForIt() throws Exception {
    String id = "openai:default";
    fx.seedProfile(server, "openai", id, System.currentTimeMillis() - 1000);
    Path lock = RefreshLockFile.path(fx.state, "openai", id);
    // The digest OpenClaw 2026.9 itself computes for ["openai","openai:default"] (notes/oc9-refresh.md).
    assertThat(lock.getFileName().toString()).isEqualTo("lock-5440fa0b86d2697ef1152f7cb32a8157.lock");
    assertThat(refreshBehindALiveHolder(lock, id, "waits for OpenClaw's lock of openai:default").outcome())
        .isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertThat(server.refreshRequests.get()).isEqualTo(1);
    JsonNode p = JSON.readTree(fx.sharedRow("authProfiles.store")).path("profiles").path(id);
    assertThat(p.path("provider").asText()).isEqualTo("openai");
    assertThat(p.path("type").asText()).isEqualTo("oauth");
    assertThat(p.path("access").asText()).isEqualTo(server.latestAccess);
    assertThat(p.path("refresh").asText()).isEqualTo(server.latestRefresh);
    assertThat(lock).doesNotExist();
  }
}
