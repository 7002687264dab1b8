package dev.clawauth.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Names and digests must be byte-for-byte OpenClaw's, or the two programs lock different files. */
class OpenClawDigestsTest {

  @Test
  void refreshLockPathsAreOpenClaws() {
    // Worked out by OpenClaw 2026.9.6's own oauthLockPathDigest.
    Path state = Path.of("/s");
    assertThat(RefreshLockFile.path(state, "openai-codex", "openai-codex:default"))
        .isEqualTo(Path.of("/s/locks/oauth-refresh/lock-7b9da1f0ba485a46aaec13e8c09ceb27.lock"));
    assertThat(RefreshLockFile.path(state, "anthropic", "anthropic:claude-cli").getFileName().toString())
        .isEqualTo("lock-b9177c9e48ffa95a4c2e837b40be614e.lock");
    assertThat(RefreshLockFile.path(state, "openai", "openai:default").getFileName().toString())
        .isEqualTo("lock-5440fa0b86d2697ef1152f7cb32a8157.lock");
  }

  @Test
  void lockPayloadsNameALiveHolderAndTheirOwnBytes() {
    assertThat(RefreshLockFile.abandoned(("{\n  \"pid\": " + ProcessHandle.current().pid() + "\n}\n").getBytes()))
        .as("our own pid is alive").isFalse();
    assertThat(RefreshLockFile.abandoned("".getBytes())).as("being written: never taken").isFalse();
    assertThat(RefreshLockFile.abandoned("{\"pi".getBytes())).as("half written: never taken").isFalse();
    assertThat(RefreshLockFile.abandoned("{\"createdAt\":\"2020-01-01T00:00:00.000Z\"}".getBytes())).isTrue();
    assertThat(RefreshLockFile.abandoned(("{\"createdAt\":\"" + java.time.Instant.now() + "\"}").getBytes())).isFalse();
    assertThat(RefreshLockFile.abandoned(("{\"pid\": " + ProcessHandle.current().pid() + ", \"starttime\": 1}").getBytes()))
        .as("a pid whose start time differs was reused").isTrue();
  }
}
