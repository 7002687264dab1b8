package dev.clawauth.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.AgentContext;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The candidate list of spec selection-and-cooldown.md, "The candidate list for a provider". */
final class CandidatesTest {
  private static final long NOW = 1_795_415_903_942L;
  private static final long HOUR = 3_600_000L;

  @TempDir
  Path root;
  StateFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new StateFixture(root);
  }

  private static String key(String id, String provider) {
    return "\"%s\": {\"type\": \"api_key\", \"provider\": \"%s\", \"key\": \"%s\"}"
        .formatted(id, provider, TestSecrets.get("ANTHROPIC_KEY"));
  }

  private static String token(String id, long expires) {
    return "\"%s\": {\"type\": \"token\", \"provider\": \"anthropic\", \"token\": \"%s\", \"expires\": %d}"
        .formatted(id, TestSecrets.get("ANTHROPIC_TOKEN"), expires);
  }

  private static String oauth(String id) {
    return "\"%s\": {\"type\": \"oauth\", \"provider\": \"anthropic\", \"access\": \"%s\", \"refresh\": \"%s\", \"expires\": %d}"
        .formatted(id, TestSecrets.get("OAUTH_ACCESS"), TestSecrets.get("OAUTH_REFRESH"), NOW + HOUR);
  }

  private Candidates.Result candidates(String extra, String... profiles) throws Exception {
    f.writeStore("main", "{\"version\": 1, \"profiles\": {" + String.join(",", profiles) + "}"
        + (extra == null ? "" : "," + extra) + "}");
    AgentContext ctx = f.open(NOW);
    return Candidates.forProvider("anthropic", ctx.store().read(), ctx.config(), NOW, null);
  }

  @Test
  void roundRobinPutsOauthThenTokenThenApiKeyLeastRecentlyUsedFirst() throws Exception {
    var r = candidates("\"usageStats\": {\"anthropic:k1\": {\"lastUsed\": 200}, \"anthropic:k2\": {\"lastUsed\": 100}}",
        key("anthropic:k1", "anthropic"), key("anthropic:k2", "anthropic"), token("anthropic:t", NOW + HOUR),
        oauth("anthropic:o"), key("openrouter:x", "openrouter"));
    assertThat(r.source()).isEqualTo(Candidates.Source.ROUND_ROBIN);
    assertThat(r.ids()).containsExactly("anthropic:o", "anthropic:t", "anthropic:k2", "anthropic:k1");
  }

  @Test
  void storeOrderIsKeptButCoolingProfilesMoveToTheEndSoonestFirst() throws Exception {
    var r = candidates("\"order\": {\"anthropic\": [\"anthropic:a\", \"anthropic:b\", \"anthropic:c\", \"anthropic:d\"]},"
            + "\"usageStats\": {\"anthropic:a\": {\"cooldownUntil\": " + (NOW + 2 * HOUR) + "},"
            + " \"anthropic:b\": {\"disabledUntil\": " + (NOW + HOUR) + ", \"disabledReason\": \"billing\"}}",
        key("anthropic:a", "anthropic"), key("anthropic:b", "anthropic"), key("anthropic:c", "anthropic"),
        key("anthropic:d", "anthropic"));
    assertThat(r.source()).isEqualTo(Candidates.Source.STORE_ORDER);
    assertThat(r.ids()).containsExactly("anthropic:c", "anthropic:d", "anthropic:b", "anthropic:a");
  }

  @Test
  void unknownMismatchedExpiredAndDuplicateIdsAreDropped() throws Exception {
    var r = candidates("\"order\": {\"anthropic\": [\"anthropic:gone\", \"openrouter:x\", \"anthropic:old\","
            + " \"anthropic:k\", \"anthropic:k\"]}",
        key("anthropic:k", "anthropic"), key("openrouter:x", "openrouter"), token("anthropic:old", NOW - 1));
    assertThat(r.ids()).containsExactly("anthropic:k");
    assertThat(r.dropped()).containsExactly("anthropic:gone", "openrouter:x", "anthropic:old");
  }

  @Test
  void configOrderThenConfigProfilesApplyWhenTheStoreHasNoOrder() throws Exception {
    f.writeConfig("{auth: {order: {anthropic: ['anthropic:b', 'anthropic:a']}}}");
    var r = candidates(null, key("anthropic:a", "anthropic"), key("anthropic:b", "anthropic"));
    assertThat(r.source()).isEqualTo(Candidates.Source.CONFIG_ORDER);
    assertThat(r.ids()).containsExactly("anthropic:b", "anthropic:a");

    f.writeConfig("{auth: {profiles: {'anthropic:b': {provider: 'anthropic', mode: 'api_key'}}}}");
    r = candidates(null, key("anthropic:a", "anthropic"), key("anthropic:b", "anthropic"));
    assertThat(r.source()).isEqualTo(Candidates.Source.CONFIG_PROFILES);
    assertThat(r.ids()).containsExactly("anthropic:b");
  }

  @Test
  void configModeOauthIsAllowedOverAStoredToken() throws Exception {
    f.writeConfig("{auth: {profiles: {'anthropic:t': {provider: 'anthropic', mode: 'oauth'}}}}");
    assertThat(candidates(null, token("anthropic:t", NOW + HOUR)).ids()).containsExactly("anthropic:t");
  }

  @Test
  void lastGoodDoesNotReorderTheRoundRobin() throws Exception {
    var r = candidates("\"lastGood\": {\"anthropic\": \"anthropic:k1\"}, \"usageStats\": {\"anthropic:k1\": {\"lastUsed\": 5}}",
        key("anthropic:k1", "anthropic"), key("anthropic:k2", "anthropic"));
    assertThat(r.ids()).containsExactly("anthropic:k2", "anthropic:k1");
  }

  @Test
  void preferredProfileGoesFirst() throws Exception {
    f.writeStore("main", "{\"version\": 1, \"profiles\": {" + key("anthropic:a", "anthropic") + ","
        + key("anthropic:b", "anthropic") + "}}");
    AgentContext ctx = f.open(NOW);
    assertThat(Candidates.forProvider("anthropic", ctx.store().read(), ctx.config(), NOW, "anthropic:b").ids())
        .containsExactly("anthropic:b", "anthropic:a");
  }
}
