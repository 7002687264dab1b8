package dev.clawauth.cli;

import dev.clawauth.testing.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models auth order get|set|clear} on the real jar (transcript section B4). */
final class OrderCommandTest {
  @TempDir
  Path tmp;
  Scenario s;

  @BeforeEach
  void setUp() throws Exception {
    s = new Scenario(tmp);
  }

  private void pasteTokenStore() throws Exception {
    s.writeStore(s.example("auth-profiles.after-paste-token.json"));
  }

  @Test
  void getWithoutOverridePrintsTheTranscriptLines() throws Exception {
    pasteTokenStore();
    var r = s.run("models", "auth", "order", "get", "--provider", "anthropic");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout().lines().limit(4)).containsExactly(
        "Agent: main",
        "Provider: anthropic",
        "Auth file: " + s.store(),
        "Order override: (none)");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void setWritesTheFile2026WroteThenGetShowsItAndClearRestoresTheOriginal() throws Exception {
    pasteTokenStore();
    var set = s.run("models", "auth", "order", "set", "--provider", "anthropic", " anthropic:default ",
        "anthropic:default");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.stdout().lines()).containsExactly(
        "Agent: main", "Provider: anthropic", "Order override: anthropic:default");
    assertThat(s.read(s.store())).isEqualTo(s.example("auth-profiles.after-order-set.json"));

    var get = s.run("models", "auth", "order", "get", "--provider", "Anthropic");
    assertThat(get.stdout().lines().limit(4)).containsExactly("Agent: main", "Provider: anthropic",
        "Auth file: " + s.store(), "Order override: anthropic:default");

    var clear = s.run("models", "auth", "order", "clear", "--provider", "anthropic");
    assertThat(clear.exitCode()).as(clear.toString()).isZero();
    assertThat(clear.stdout().lines()).containsExactly(
        "Agent: main", "Provider: anthropic", "Cleared per-agent order override.");
    assertThat(s.read(s.store())).isEqualTo(s.example("auth-profiles.after-paste-token.json"));
  }

  @Test
  void setKeepsOrderOfOtherProvidersAndClearRemovesOnlyItsKey() throws Exception {
    s.writeStore("""
        {
          "version": 1,
          "profiles": {
            "anthropic:a": {"type": "api_key", "provider": "anthropic", "key": "%s"},
            "anthropic:b": {"type": "api_key", "provider": "anthropic", "key": "%s"},
            "openrouter:default": {"type": "api_key", "provider": "openrouter", "key": "%s"}
          },
          "order": {"openrouter": ["openrouter:default"]}
        }
        """.formatted(TestSecrets.get("ANTHROPIC_KEY"), TestSecrets.get("ANTHROPIC_KEY_2"),
        TestSecrets.get("OPENROUTER_KEY")));
    var set = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:b", "anthropic:a",
        "anthropic:b");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    JsonNode order = new ObjectMapper().readTree(s.read(s.store())).path("order");
    assertThat(order.toString()).isEqualTo(
        "{\"openrouter\":[\"openrouter:default\"],\"anthropic\":[\"anthropic:b\",\"anthropic:a\"]}");

    s.run("models", "auth", "order", "clear", "--provider", "anthropic");
    assertThat(new ObjectMapper().readTree(s.read(s.store())).path("order").toString())
        .isEqualTo("{\"openrouter\":[\"openrouter:default\"]}");
    s.run("models", "auth", "order", "clear", "--provider", "openrouter");
    assertThat(new ObjectMapper().readTree(s.read(s.store())).has("order")).isFalse();
  }

  @Test
  void unknownProfileIdIsRefusedByNameAndNothingIsWritten() throws Exception {
    pasteTokenStore();
    String before = s.read(s.store());
    var r = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default", "anthropic:nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr().lines()).singleElement().asString()
        .startsWith("Error: Auth profile \"anthropic:nope\" not found in " + s.agentDir("main") + ".");
    assertThat(s.read(s.store())).isEqualTo(before);
    assertThat(s.agentDir("main").resolve("auth-profiles.json.lock")).doesNotExist();
  }

  @Test
  void profileOfAnotherProviderIsRefused() throws Exception {
    s.writeStore("""
        {"version": 1, "profiles": {
          "openrouter:default": {"type": "api_key", "provider": "openrouter", "key": "%s"}}}
        """.formatted(TestSecrets.get("OPENROUTER_KEY")));
    String before = s.read(s.store());
    var r = s.run("models", "auth", "order", "set", "--provider", "anthropic", "openrouter:default");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines()).singleElement().asString()
        .contains("\"openrouter:default\"").contains("openrouter").contains("anthropic");
    assertThat(s.read(s.store())).isEqualTo(before);
  }

  @Test
  void setOnAMissingStoreRefusesAndCreatesNoStore() throws Exception {
    var r = s.run("models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines()).singleElement().asString().contains("\"anthropic:default\" not found");
    assertThat(s.store()).doesNotExist();
  }

  @Test
  void missingProviderIsAUsageErrorWithExitOne() throws Exception {
    var r = s.run("models", "auth", "order", "get");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("--provider");
  }

  @Test
  void getJsonGivesOverrideAndEffectiveOrder() throws Exception {
    s.writeStore(s.example("auth-profiles.after-order-set.json"));
    var r = s.run("models", "auth", "order", "get", "--provider", "anthropic", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode n = new ObjectMapper().readTree(r.stdout());
    assertThat(n.path("agentId").asText()).isEqualTo("main");
    assertThat(n.path("provider").asText()).isEqualTo("anthropic");
    assertThat(n.path("authFile").asText()).isEqualTo(s.store().toString());
    assertThat(n.path("order").toString()).isEqualTo("[\"anthropic:default\"]");
    assertThat(n.path("effectiveSource").asText()).isEqualTo("store_order");
  }

  @Test
  void agentOptionWorksOnThatAgentsStoreOnly() throws Exception {
    pasteTokenStore();
    String mainBefore = s.read(s.store());
    s.write(s.store("work"), """
        {"version": 1, "profiles": {
          "anthropic:work": {"type": "api_key", "provider": "anthropic", "key": "%s"}}}
        """.formatted(TestSecrets.get("ANTHROPIC_KEY")));
    var set = s.run("models", "auth", "order", "set", "--agent", "work", "--provider", "anthropic", "anthropic:work");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.stdout().lines().findFirst()).contains("Agent: work");
    var get = s.run("models", "auth", "order", "get", "--agent", "work", "--provider", "anthropic");
    assertThat(get.stdout().lines().limit(4)).containsExactly("Agent: work", "Provider: anthropic",
        "Auth file: " + s.store("work"), "Order override: anthropic:work");
    assertThat(s.read(s.store())).isEqualTo(mainBefore);

    var refused = s.run("models", "auth", "order", "set", "--agent", "work", "--provider", "anthropic", "anthropic:manual");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("\"anthropic:manual\" not found in " + s.agentDir("work"));
  }

  @Test
  void invalidAgentIdIsRefusedWithTheRule() throws Exception {
    var r = s.run("models", "auth", "order", "get", "--agent", "../evil", "--provider", "anthropic");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines()).singleElement().asString().contains("../evil").contains("letters, digits");
    assertThat(s.state).doesNotExist();
  }

  @Test
  void clearWithoutOverrideSaysSoAndWritesNothing() throws Exception {
    var none = s.run("models", "auth", "order", "clear", "--provider", "anthropic");
    assertThat(none.exitCode()).as(none.toString()).isZero();
    assertThat(none.stdout().lines()).containsExactly("Agent: main", "Provider: anthropic",
        "No per-agent order override was set.");
    assertThat(s.state).doesNotExist();

    pasteTokenStore();
    String before = s.read(s.store());
    assertThat(s.run("models", "auth", "order", "clear", "--provider", "anthropic").exitCode()).isZero();
    assertThat(s.read(s.store())).isEqualTo(before);
  }
}
