package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void anExistingStoreTakesNothingFromLegacyFiles() throws Exception {
    Path storeFile = Files.writeString(dir.resolve("auth-profiles.json"), "{\"version\":1,\"profiles\":{"
        + "\"anthropic:work\":{\"type\":\"api_key\",\"provider\":\"anthropic\",\"key\":\"k-000000000000\"}}}\n");
    Path authJson = Files.writeString(dir.resolve("auth.json"),
        "{ \"anthropic\": { \"type\": \"api_key\", \"key\": \"sk-ant-api03-old-0000000000\" } }");
    Path oauthJson = Files.writeString(dir.resolve("oauth.json"), OAUTH_JSON);
    FileStore store = new FileStore(storeFile, new LegacyImport(authJson, oauthJson));
    store.update(doc -> null);
    // As OpenClaw 2026.1: oauth.json is merged only into a store that does not exist yet, so a
    // profile removed from the store never comes back from it.
    assertThat(store.readStored().profiles()).containsOnlyKeys("anthropic:work");
    assertThat(store.pendingImports()).isEmpty();
    assertThat(Files.exists(authJson)).as("auth.json was not imported, so it is not deleted").isTrue();
  }

  @Test
  void unparsableAuthJsonIsNeverDeleted() throws Exception {
    Path authJson = Files.writeString(dir.resolve("auth.json"), "{ \"anthropic\": ");
    Path oauthJson = Files.writeString(dir.resolve("oauth.json"), OAUTH_JSON);
    FileStore store = new FileStore(dir.resolve("auth-profiles.json"), new LegacyImport(authJson, oauthJson));
    store.update(doc -> null);
    assertThat(store.readStored().profiles()).containsKey("openai-codex:default");
    assertThat(Files.readString(authJson)).isEqualTo("{ \"anthropic\": ");
  }

  @Test
  void importedAuthJsonIsDeletedAfterTheStoreHoldsIt() throws Exception {
    Path authJson = Files.writeString(dir.resolve("auth.json"),
        "{ \"anthropic\": { \"type\": \"api_key\", \"key\": \"sk-ant-api03-old-0000000000\" } }");
    FileStore store = new FileStore(dir.resolve("auth-profiles.json"), new LegacyImport(authJson, null));
    store.update(doc -> null);
    assertThat(store.readStored().profiles()).containsKey("anthropic:default");
    assertThat(Files.exists(authJson)).isFalse();
  }
}
