package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth.json is deleted only once its own content is in the store, never because oauth.json was imported. */
final class LegacyImportDeletionTest {
  @TempDir
  Path dir;

  private static final String OAUTH_JSON =
      "{ \"openai-codex\": { \"access\": \"acc-000000000000000000\", \"refresh\": \"ref-0000000000000000\","
          + " \"expires\": 4102444800000 } }";

  @Test
  void authJsonBesideAStoreWithProfilesSurvivesAnOAuthImport() throws Exception {
    Path storeFile = Files.writeString(dir.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{"
        + "\"anthropic:work\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"k-000000000000\"}}}\n");
    Path authJson = Files.writeString(dir.resolve("auth.json"),
        "{ \"anthropic\": { \"type\": \"api_key\", \"key\": \"sk-ant-api03-old-0000000000\" } }");
    Path oauthJson = Files.writeString(dir.resolve("oauth.json"), OAUTH_JSON);
    AuthStore store = new AuthStore(storeFile, new LegacyImport(authJson, oauthJson), Clock.systemUTC());
    store.update(doc -> null);
    assertThat(store.readFile().profiles()).containsOnlyKeys("anthropic:work", "openai-codex:default");
    assertThat(Files.exists(authJson)).as("auth.json was not imported, so it is not deleted").isTrue();
  }

  @Test
  void unparsableAuthJsonIsNeverDeleted() throws Exception {
    Path authJson = Files.writeString(dir.resolve("auth.json"), "{ \"anthropic\": ");
    Path oauthJson = Files.writeString(dir.resolve("oauth.json"), OAUTH_JSON);
    AuthStore store = new AuthStore(dir.resolve("auth-profiles.json"), new LegacyImport(authJson, oauthJson),
        Clock.systemUTC());
    store.update(doc -> null);
    assertThat(store.readFile().profiles()).containsKey("openai-codex:default");
    assertThat(Files.readString(authJson)).isEqualTo("{ \"anthropic\": ");
  }

  @Test
  void importedAuthJsonIsDeletedAfterTheStoreHoldsIt() throws Exception {
    Path authJson = Files.writeString(dir.resolve("auth.json"),
        "{ \"anthropic\": { \"type\": \"api_key\", \"key\": \"sk-ant-api03-old-0000000000\" } }");
    AuthStore store = new AuthStore(dir.resolve("auth-profiles.json"), new LegacyImport(authJson, null),
        Clock.systemUTC());
    store.update(doc -> null);
    assertThat(store.readFile().profiles()).containsKey("anthropic:default");
    assertThat(Files.exists(authJson)).isFalse();
  }
}
