package dev.clawauth.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code models status --check} verdict (spec README, "Where Clawauth deliberately differs",
 * item 7), one scenario per test, with a fixed clock.
 */
final class CheckRuleTest {
  private static final long NOW = 1_795_415_903_942L;
  private static final long MIN = 60_000L;
  private static final long HOUR = 60 * MIN;
  private static final long DAY = 24 * HOUR;

  @TempDir
  Path root;
  StateFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new StateFixture(root);
  }

  private static String oauth(String id, String provider, boolean withRefresh, long expires) {
    return """
        "%s": {"type": "oauth", "provider": "%s", "access": "%s", "refresh": "%s", "expires": %d}"""
        .formatted(id, provider, TestSecrets.get("OAUTH_ACCESS"),
            withRefresh ? TestSecrets.get("OAUTH_REFRESH") : "", expires);
  }

  private static String token(String id, String provider, long expires) {
    return """
        "%s": {"type": "token", "provider": "%s", "token": "%s"%s}"""
        .formatted(id, provider, TestSecrets.get("ANTHROPIC_TOKEN"), expires == 0 ? "" : ", \"expires\": " + expires);
  }

  private static String apiKey(String id, String provider) {
    return """
        "%s": {"type": "api_key", "provider": "%s", "key": "%s"}""".formatted(id, provider, TestSecrets.get("ANTHROPIC_KEY"));
  }

  private void store(String usageStats, String... profiles) throws Exception {
    f.writeStore("main", "{\"version\": 1, \"profiles\": {" + String.join(",\n", profiles) + "}"
        + (usageStats == null ? "" : ", \"usageStats\": " + usageStats) + "}\n");
  }

  private JsonNode check() throws Exception {
    return StatusReport.build(f.open(NOW)).path("auth").path("check");
  }

  private int code() throws Exception {
    return check().path("exitCode").asInt(-1);
  }

  @Test
  void emptyStateIsOne() throws Exception {
    assertThat(code()).isEqualTo(1);
    assertThat(check().at("/problems/0/provider").asText()).isEqualTo("anthropic");
    assertThat(check().at("/problems/0/fix").asText()).contains("clawauth");
  }

  @Test
  void envKeyAloneIsZero() throws Exception {
    f.set("ANTHROPIC_API_KEY", TestSecrets.get("ANTHROPIC_KEY"));
    assertThat(code()).isZero();
  }

  @Test
  void apiKeyProfileIsZero() throws Exception {
    store(null, apiKey("anthropic:default", "anthropic"));
    assertThat(code()).isZero();
  }

  @Test
  void oauthPastExpiresWithRefreshTokenIsNotExpired() throws Exception {
    store(null, oauth("anthropic:o", "anthropic", true, NOW - HOUR));
    assertThat(code()).isZero();
    assertThat(check().path("problems")).isEmpty();
  }

  @Test
  void oauthExpiringSoonWithRefreshTokenIsNotExpiring() throws Exception {
    store(null, oauth("anthropic:o", "anthropic", true, NOW + 10 * MIN));
    assertThat(code()).isZero();
  }

  @Test
  void onlyCredentialOauthWithoutRefreshPastExpiresIsOne() throws Exception {
    store(null, oauth("anthropic:o", "anthropic", false, NOW - HOUR));
    assertThat(code()).isEqualTo(1);
  }

  @Test
  void oauthWithoutRefreshPastExpiresBesideAUsableOneIsTwo() throws Exception {
    store(null, oauth("anthropic:o", "anthropic", false, NOW - HOUR), apiKey("anthropic:k", "anthropic"));
    assertThat(code()).isEqualTo(2);
    assertThat(check().at("/problems/0/profileId").asText()).isEqualTo("anthropic:o");
  }

  @Test
  void oauthWithoutRefreshExpiringWithin24hIsTwo() throws Exception {
    store(null, oauth("anthropic:o", "anthropic", false, NOW + 5 * HOUR));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void tokenExpiringWithin24hIsTwo() throws Exception {
    store(null, token("anthropic:t", "anthropic", NOW + 10 * MIN));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void tokenExpiringIn25hIsZero() throws Exception {
    store(null, token("anthropic:t", "anthropic", NOW + 25 * HOUR));
    assertThat(code()).isZero();
  }

  @Test
  void tokenExpiringExactlyAt24hIsTwo() throws Exception {
    store(null, token("anthropic:t", "anthropic", NOW + DAY));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void onlyTokenExpiredIsOne() throws Exception {
    store(null, token("anthropic:t", "anthropic", NOW - MIN));
    assertThat(code()).isEqualTo(1);
  }

  @Test
  void expiredTokenBesideAStaticTokenIsTwo() throws Exception {
    store(null, token("anthropic:manual", "anthropic", 0), token("anthropic:t", "anthropic", NOW - MIN));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void expiredTokenBesideAnEnvKeyIsTwo() throws Exception {
    f.set("ANTHROPIC_API_KEY", TestSecrets.get("ANTHROPIC_KEY"));
    store(null, token("anthropic:t", "anthropic", NOW - MIN));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void cooldownDoesNotChangeTheCode() throws Exception {
    store("{\"anthropic:o\": {\"cooldownUntil\": " + (NOW + 15 * MIN) + ", \"errorCount\": 3}}",
        oauth("anthropic:o", "anthropic", true, NOW + 30 * DAY));
    assertThat(code()).isZero();
  }

  @Test
  void billingDisableDoesNotChangeTheCode() throws Exception {
    store("{\"anthropic:k\": {\"disabledUntil\": " + (NOW + 5 * HOUR) + ", \"disabledReason\": \"billing\"}}",
        apiKey("anthropic:k", "anthropic"));
    assertThat(code()).isZero();
  }

  @Test
  void expiredTokenOfAProviderNotInUseDoesNotCount() throws Exception {
    store(null, apiKey("anthropic:k", "anthropic"), token("openai:t", "openai", NOW - HOUR),
        oauth("openai-codex:o", "openai-codex", false, NOW - HOUR));
    assertThat(code()).isZero();
  }

  @Test
  void fallbackProviderWithoutCredentialIsOne() throws Exception {
    f.writeConfig("{agents: {defaults: {model: {primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-5']}}}}");
    store(null, apiKey("anthropic:k", "anthropic"));
    assertThat(code()).isEqualTo(1);
    assertThat(check().at("/problems/0/provider").asText()).isEqualTo("openai");
  }

  @Test
  void imageModelProviderWithExpiringTokenIsTwo() throws Exception {
    f.writeConfig("{agents: {defaults: {imageModel: {primary: 'google/gemini-3'}}}}");
    store(null, apiKey("anthropic:k", "anthropic"), token("google:t", "google", NOW + HOUR));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void imageFallbackProviderWithoutCredentialIsOne() throws Exception {
    f.writeConfig("{agents: {defaults: {imageModel: {primary: 'anthropic/claude-opus-4-5', fallbacks: ['openrouter/a/b']}}}}");
    store(null, apiKey("anthropic:k", "anthropic"));
    assertThat(code()).isEqualTo(1);
  }

  @Test
  void oauthThatNeedsANewLoginIsOneWhenAloneAndTwoBesideAUsableOne() throws Exception {
    String relogin = """
        "anthropic:o": {"type": "oauth", "provider": "anthropic", "access": "%s", "refresh": "%s",
          "expires": %d, "clawauthRelogin": {"reason": "invalid_grant"}}"""
        .formatted(TestSecrets.get("OAUTH_ACCESS"), TestSecrets.get("OAUTH_REFRESH"), NOW - MIN);
    store(null, relogin);
    assertThat(code()).isEqualTo(1);
    store(null, relogin, apiKey("anthropic:k", "anthropic"));
    assertThat(code()).isEqualTo(2);
  }

  @Test
  void handWrittenSpecStoreIsZeroBecauseEveryOauthCanRenewItself() throws Exception {
    // 2026.1 said 1 here (an expired access token beside a refresh token); Clawauth says 0.
    f.writeConfig("{\"agents\":{\"defaults\":{\"model\":{\"primary\":\"anthropic/claude-opus-5\"}}}}");
    store("{\"anthropic:fine\": {\"cooldownUntil\": " + (NOW + 15 * MIN) + "},"
            + " \"openrouter:default\": {\"disabledUntil\": " + (NOW + 2 * HOUR) + ", \"disabledReason\": \"billing\"}}",
        oauth("anthropic:expired", "anthropic", true, NOW - HOUR),
        oauth("anthropic:soon", "anthropic", true, NOW + 10 * MIN),
        oauth("anthropic:fine", "anthropic", true, NOW + 30 * DAY),
        apiKey("openrouter:default", "openrouter"));
    assertThat(code()).isZero();
  }

  @Test
  void configModeMismatchMakesTheProfileUnusable() throws Exception {
    f.writeConfig("{auth: {profiles: {'anthropic:k': {provider: 'anthropic', mode: 'token'}}}}");
    store(null, apiKey("anthropic:k", "anthropic"));
    assertThat(code()).isEqualTo(1);
  }

  /** An order naming a profile that is gone hides a usable one: status names the id and the fix. */
  @Test
  void storeOrderNamingAMissingProfileSaysSo() throws Exception {
    f.writeStore("main", "{\"version\": 1, \"profiles\": {" + apiKey("anthropic:default", "anthropic")
        + "}, \"order\": {\"anthropic\": [\"anthropic:gone\"]}}\n");
    JsonNode pr = check().path("problems").get(0);
    assertThat(code()).isEqualTo(1);
    assertThat(pr.path("message").asText())
        .isEqualTo("no usable candidate: the store's auth.order for anthropic names anthropic:gone, which does not exist, and leaves out the usable anthropic:default")
        .doesNotContain("expired");
    assertThat(pr.path("fix").asText()).contains("`clawauth models auth order clear --provider anthropic`")
        .contains("`clawauth models auth order set --provider anthropic anthropic:default`");
    assertThat(pr.path("orderSource").asText()).isEqualTo("store");
    assertThat(pr.path("missingOrderIds").toString()).isEqualTo("[\"anthropic:gone\"]");
    assertThat(pr.path("excludedProfileIds").toString()).isEqualTo("[\"anthropic:default\"]");
    assertThat(pr.path("severity").asText()).isEqualTo("missing");
  }

  @Test
  void configOrderNamingAMissingProfileSaysSo() throws Exception {
    f.writeConfig("{auth: {order: {anthropic: ['anthropic:old']}}}");
    store(null, apiKey("anthropic:default", "anthropic"));
    JsonNode pr = check().path("problems").get(0);
    assertThat(code()).isEqualTo(1);
    assertThat(pr.path("message").asText()).startsWith("no usable candidate: auth.order in " + f.config())
        .contains("names anthropic:old, which does not exist");
    assertThat(pr.path("fix").asText()).contains("`clawauth models auth order set --provider anthropic anthropic:default`")
        .contains("auth.order.anthropic in " + f.config());
    assertThat(pr.path("orderSource").asText()).isEqualTo("config");
  }

  @Test
  void expiredProfilesStillSayExpired() throws Exception {
    store(null, token("anthropic:manual", "anthropic", NOW - HOUR));
    JsonNode pr = check().path("problems").get(0);
    assertThat(pr.path("message").asText()).contains("every profile is expired");
    assertThat(pr.has("missingOrderIds")).isFalse();
  }

  /** A setup-token answered 401: the documents' re-paste hint, not "wait for the cooldown". */
  @Test
  void aRefusedSetupTokenGetsTheRePasteHint() throws Exception {
    store("{\"anthropic:default\": {\"cooldownUntil\": " + (NOW + MIN) + ", \"errorCount\": 1,"
        + " \"failureCounts\": {\"auth\": 1}, \"lastFailureAt\": " + (NOW - 1000) + "}}",
        token("anthropic:default", "anthropic", 0));
    String hint = "run `claude setup-token` again and paste it with"
        + " `clawauth models auth paste-token --provider anthropic --profile-id anthropic:default`";
    JsonNode auth = StatusReport.build(f.open(NOW)).path("auth");
    assertThat(code()).isEqualTo(2);
    JsonNode pr = check().path("problems").get(0);
    assertThat(pr.path("profileId").asText()).isEqualTo("anthropic:default");
    assertThat(pr.path("message").asText()).contains("refused this setup-token (401)");
    assertThat(pr.path("fix").asText()).isEqualTo(hint);
    JsonNode h = auth.at("/oauth/profiles/0");
    assertThat(h.path("rejected").asBoolean()).isTrue();
    assertThat(h.path("fix").asText()).isEqualTo(hint);
    assertThat(auth.at("/unusableProfiles/0/fix").asText()).isEqualTo(hint);
  }

  @Test
  void aTokenThatFailedOnlyOnRateLimitsIsNotCalledRefused() throws Exception {
    store("{\"anthropic:manual\": {\"cooldownUntil\": " + (NOW + MIN) + ", \"errorCount\": 1,"
        + " \"failureCounts\": {\"rate_limit\": 1}}}", token("anthropic:manual", "anthropic", 0));
    assertThat(code()).isZero();
    assertThat(StatusReport.build(f.open(NOW)).at("/auth/oauth/profiles/0").has("rejected")).isFalse();
  }
}
