package dev.clawauth.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.env.ShellEnv;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor on a setup-token Anthropic answered 401: the documents' re-paste hint. */
class SetupTokenRefusedTest {
  @TempDir
  Path root;

  @Test
  void namesTheTokenAndTheRePasteCommand() throws Exception {
    StateFixture f = new StateFixture(root);
    Files.createDirectories(f.state);
    long later = System.currentTimeMillis() + 3_600_000L;
    f.writeStore("main", """
        {"version": 1, "profiles": {"anthropic:manual": {"type": "token", "provider": "anthropic", "token": "%s"}},
         "usageStats": {"anthropic:manual": {"cooldownUntil": %d, "errorCount": 1, "failureCounts": {"auth": 1}}}}
        """.formatted(TestSecrets.get("ANTHROPIC_TOKEN"), later));
    ShellEnv noLoginShell = (e, t) -> Map.of();
    Doctor.Examination x = new Doctor(f.env(), null, Clock.systemUTC(), noLoginShell).examine();
    Finding refused = x.findings().stream().filter(fi -> fi.code().equals("setup-token-rejected")).findFirst()
        .orElseThrow(() -> new AssertionError("no setup-token-rejected in " + x.findings()));
    assertThat(refused.severity()).isEqualTo(Severity.ERROR);
    assertThat(refused.what()).contains("anthropic:manual").contains("401");
    assertThat(refused.fix()).isEqualTo("run `claude setup-token` again and paste it with"
        + " `clawauth models auth paste-token --provider anthropic`");
    assertThat(x.findings().toString()).doesNotContain(TestSecrets.get("ANTHROPIC_TOKEN"));
  }
}
