package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StatusCommandTest {
  @TempDir
  Path home;

  @Test
  void emptyStateReportsMissingAnthropicAndCheckExitsOne() throws Exception {
    Path state = home.resolve("state");
    var r = new ClawauthProcess(home, state).run("models", "status", "--check");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).contains("Missing auth").contains("- anthropic");
    assertThat(Files.exists(state)).as("status writes nothing").isFalse();
  }
}
