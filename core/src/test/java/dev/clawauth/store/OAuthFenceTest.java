package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OAuthFenceTest {

  @Test
  void digestsAreOpenClaws() {
    // Worked out with OpenClaw 2026.9.6's buildOAuthRefreshSecretDigest.
    assertThat(OAuthFence.digest("openai-codex:default", "openai-codex", "refresh", "RT-old"))
        .isEqualTo("ba15d2acf493e529018dd157efcef424c52abfb34641c3c1ad10a90caa52bcec");
    assertThat(OAuthFence.digest("openai-codex:default", "openai-codex", "access", "AT-old"))
        .isEqualTo("b8018fa4b4191972c2858dcf37ef7382cc1023b50e790f8362892b2369fd7432");
    assertThat(OAuthFence.digest("openai:default", "openai", "refresh", "RT-old"))
        .isEqualTo("4be7e16e81f4fa6e401029c67d762077d4f20693e823a2f86b7d6fb9bd64660a");
  }

  @Test
  void aFenceIsBothStringsOfOneClaimWithExpiresOne() {
    OAuthFence f = OAuthFence.failedOver("openai:default", "openai", "AT", "RT");
    assertThat(OAuthFence.parse(f.accessValue(), f.refreshValue(), 1)).contains(f);
    assertThat(f.state()).isEqualTo(OAuthFence.State.FAILED);
    OAuthFence pending = new OAuthFence(f.claimId(), OAuthFence.State.PENDING, f.accessDigest(), f.refreshDigest());
    assertThat(OAuthFence.parse(pending.accessValue(), pending.refreshValue(), 1)).contains(pending);
    assertThat(OAuthFence.parse(pending.accessValue(), pending.refreshValue(), 2)).isEmpty();
    assertThat(OAuthFence.parse(pending.accessValue(), f.refreshValue(), 1)).as("flags disagree").isEmpty();
    assertThat(OAuthFence.parse(pending.accessValue(), "RT", 1)).isEmpty();
  }

  @Test
  void credentialsReadFencesAsPendingOrNeedingALogin() throws Exception {
    OAuthFence failed = OAuthFence.failedOver("openai:default", "openai", "AT", "RT");
    OAuthFence pending = new OAuthFence(failed.claimId(), OAuthFence.State.PENDING, failed.accessDigest(),
        failed.refreshDigest());
    var p = (Credential.OAuth) Credentials.fromJson(dev.clawauth.json.Json.parseStrict(java.nio.file.Path.of("profile"), """
        {"type":"oauth","provider":"openai","access":"%s","refresh":"%s","expires":1,"accountId":"acc"}
        """.formatted(pending.accessValue(), pending.refreshValue()))).orElseThrow();
    assertThat(p.refreshPending()).isTrue();
    assertThat(p.canRefresh()).isFalse();
    assertThat(p.needsRelogin()).isFalse();
    var f = (Credential.OAuth) Credentials.fromJson(dev.clawauth.json.Json.parseStrict(java.nio.file.Path.of("profile"), """
        {"type":"oauth","provider":"openai","access":"%s","refresh":"%s","expires":1}
        """.formatted(failed.accessValue(), failed.refreshValue()))).orElseThrow();
    assertThat(f.needsRelogin()).isTrue();
    assertThat(f.refreshPending()).isFalse();
  }
}
