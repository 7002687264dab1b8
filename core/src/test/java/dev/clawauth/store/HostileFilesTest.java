package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files a store path may be that are not a store: each is refused with a message, never waited on or read whole. */
class HostileFilesTest {
  @TempDir
  Path dir;

  @Test
  void aFifoAtTheStorePathIsRefusedAtOnce() throws Exception {
    Path store = dir.resolve("auth-profiles.json");
    assertThat(new ProcessBuilder("mkfifo", store.toString()).start().waitFor()).isZero();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> new FileStore(store).read()).isInstanceOf(IOException.class)
            .hasMessageContaining(store.toString()).hasMessageContaining("not a regular file"));
  }

  @Test
  void aHugeStoreIsRefusedWithItsSizeNotReadIntoMemory() throws Exception {
    Path store = dir.resolve("auth-profiles.json");
    try (RandomAccessFile f = new RandomAccessFile(store.toFile(), "rw")) {
      f.setLength(200L << 20);
    }
    assertThatThrownBy(() -> new FileStore(store).read()).isInstanceOf(IOException.class)
        .hasMessageContaining(store.toString()).hasMessageContaining("200 MiB");
    assertThatThrownBy(() -> new FileStore(store).update(doc -> null)).isInstanceOf(IOException.class);
    assertThat(Files.size(store)).isEqualTo(200L << 20);
  }

  @Test
  void aConfigWriterKilledMidWriteLeavesNoTempFileAfterTheNextWrite() throws Exception {
    Path config = Files.writeString(dir.resolve("openclaw.json"), "{ a: 1 }\n");
    Path leftover = Files.writeString(dir.resolve(".openclaw.json.123456789.tmp"), "{\"half\":");
    dev.clawauth.config.ConfigFile.update(config, root -> root.put("b", 2));
    assertThat(leftover).doesNotExist();
    assertThat(Files.readString(config)).contains("b");
  }
}
