package dev.clawauth.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence of the environment sources and the source each credential shows (spec store.md). */
final class EnvSourcesTest {
  private static final String PROC = TestSecrets.get("OPENAI_KEY");
  private static final String CWD = TestSecrets.get("OPENAI_KEY_CWD");
  private static final String STATE = TestSecrets.get("OPENAI_KEY_STATE");
  private static final String CONFIG = TestSecrets.get("OPENAI_KEY_CONFIG");
  private static final String SHELL = TestSecrets.get("OPENAI_KEY_SHELL");

  @TempDir
  Path root;
  StateFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new StateFixture(root);
  }

  private EnvSources load() throws Exception {
    return f.open(0).env();
  }

  private Optional<EnvValue> openai() throws Exception {
    return load().forProvider("openai");
  }

  private void writeAllFourLayers() throws Exception {
    f.set("OPENAI_API_KEY", PROC);
    StateFixture.write(f.cwd.resolve(".env"), "OPENAI_API_KEY=" + CWD + "\n");
    StateFixture.write(f.state.resolve(".env"), "export OPENAI_API_KEY='" + STATE + "'\n");
    f.writeConfig("{env: {vars: {OPENAI_API_KEY: '" + CONFIG + "'}}}");
  }

  @Test
  void processEnvironmentWinsOverEveryFile() throws Exception {
    writeAllFourLayers();
    assertThat(openai()).get().satisfies(v -> {
      assertThat(v.value().value()).isEqualTo(PROC);
      assertThat(v.source()).isEqualTo("env: OPENAI_API_KEY");
    });
  }

  @Test
  void dotEnvInTheWorkingDirectoryComesSecond() throws Exception {
    writeAllFourLayers();
    f.vars.remove("OPENAI_API_KEY");
    assertThat(openai()).get().satisfies(v -> {
      assertThat(v.value().value()).isEqualTo(CWD);
      assertThat(v.source()).isEqualTo("env: OPENAI_API_KEY (" + f.cwd.resolve(".env") + ")");
    });
  }

  @Test
  void stateDotEnvComesThird() throws Exception {
    writeAllFourLayers();
    f.vars.remove("OPENAI_API_KEY");
    Files.delete(f.cwd.resolve(".env"));
    assertThat(openai()).get().satisfies(v -> {
      assertThat(v.value().value()).isEqualTo(STATE);
      assertThat(v.source()).isEqualTo("env: OPENAI_API_KEY (" + f.state.resolve(".env") + ")");
    });
  }

  @Test
  void configEnvBlockComesLastAndAcceptsTopLevelStrings() throws Exception {
    f.writeConfig("{env: {vars: {OPENAI_API_KEY: '" + CONFIG + "'}, OPENROUTER_API_KEY: '"
        + TestSecrets.get("OPENROUTER_KEY") + "'}}");
    EnvSources env = load();
    assertThat(env.forProvider("openai")).get().satisfies(v -> {
      assertThat(v.value().value()).isEqualTo(CONFIG);
      assertThat(v.source()).isEqualTo("config env: OPENAI_API_KEY");
    });
    assertThat(env.forProvider("openrouter")).get()
        .extracting(v -> v.value().value()).isEqualTo(TestSecrets.get("OPENROUTER_KEY"));
  }

  @Test
  void blankValuesCountAsUnsetAndValuesAreTrimmed() throws Exception {
    f.set("OPENAI_API_KEY", "   ");
    StateFixture.write(f.cwd.resolve(".env"), "OPENAI_API_KEY=  " + CWD + "  \n");
    assertThat(openai()).get().extracting(v -> v.value().value()).isEqualTo(CWD);
  }

  @Test
  void firstVariableOfAProviderWins() throws Exception {
    f.set("ANTHROPIC_API_KEY", TestSecrets.get("ANTHROPIC_KEY"));
    f.set("ANTHROPIC_OAUTH_TOKEN", TestSecrets.get("ANTHROPIC_TOKEN"));
    assertThat(load().forProvider("anthropic")).get().extracting(EnvValue::name)
        .isEqualTo("ANTHROPIC_OAUTH_TOKEN");
  }

  @Test
  void dotEnvParsesExportQuotesCommentsAndCrlf() {
    var parsed = DotEnv.parse("# c\r\nexport A=1\r\nB=\"two words\" \nC='x#y'\nD=plain # note\n\nbad line\n=nokey\n");
    assertThat(parsed).containsExactly(java.util.Map.entry("A", "1"), java.util.Map.entry("B", "two words"),
        java.util.Map.entry("C", "x#y"), java.util.Map.entry("D", "plain"));
  }

  private Path fakeShell(String body) throws Exception {
    Path script = root.resolve("fake-shell.sh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void loginShellImportFillsOnlyMissingKeysAndReportsThem() throws Exception {
    f.set("SHELL", fakeShell("test \"$1\" = -l || exit 3\nprintf 'OPENAI_API_KEY=%s\\0OPENROUTER_API_KEY=%s\\0HOME=/x\\0'"
        .formatted(SHELL, "from-shell-but-already-set")).toString());
    f.set("OPENROUTER_API_KEY", TestSecrets.get("OPENROUTER_KEY"));
    f.writeConfig("{env: {shellEnv: {enabled: true}}}");
    EnvSources env = load();
    assertThat(env.shellEnabled()).isTrue();
    assertThat(env.shellApplied()).containsExactly("OPENAI_API_KEY");
    assertThat(env.forProvider("openai")).get().satisfies(v -> {
      assertThat(v.value().value()).isEqualTo(SHELL);
      assertThat(v.source()).isEqualTo("shell env: OPENAI_API_KEY");
    });
    assertThat(env.forProvider("openrouter")).get().extracting(EnvValue::source)
        .isEqualTo("env: OPENROUTER_API_KEY");
  }

  @Test
  void loginShellImportIsOffUnlessEnabled() throws Exception {
    f.set("SHELL", fakeShell("printf 'OPENAI_API_KEY=%s\\0'".formatted(SHELL)).toString());
    assertThat(load().shellEnabled()).isFalse();
    assertThat(openai()).isEmpty();
    f.set("OPENCLAW_LOAD_SHELL_ENV", "1");
    assertThat(load().shellApplied()).containsExactly("OPENAI_API_KEY");
  }

  @Test
  void slowLoginShellIsAbandonedAfterTheTimeoutWithItsChildren() throws Exception {
    Path pidFile = root.resolve("child.pid");
    f.set("SHELL", fakeShell("sleep 30 &\necho $! > " + pidFile + "\nwait").toString());
    f.set("OPENCLAW_LOAD_SHELL_ENV", "1");
    f.set("OPENCLAW_SHELL_ENV_TIMEOUT_MS", "400");
    long start = System.nanoTime();
    EnvSources env = load();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(env.shellEnabled()).isTrue();
    assertThat(env.shellApplied()).isEmpty();
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    var child = ProcessHandle.of(pid);
    child.ifPresent(h -> h.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the shell's child was killed")
        .isNotEqualTo(Optional.of(true));
  }

  @Test
  void configTimeoutWinsOverTheEnvironmentTimeout() throws Exception {
    f.set("SHELL", fakeShell("sleep 2\nprintf 'OPENAI_API_KEY=%s\\0'".formatted(SHELL)).toString());
    f.set("OPENCLAW_SHELL_ENV_TIMEOUT_MS", "100");
    f.writeConfig("{env: {shellEnv: {enabled: true, timeoutMs: 10000}}}");
    assertThat(load().shellApplied()).containsExactly("OPENAI_API_KEY");
  }

  @Test
  void invalidTimeoutInTheEnvironmentFallsBackToTheDefault() throws Exception {
    f.set("SHELL", fakeShell("printf 'OPENAI_API_KEY=%s\\0'".formatted(SHELL)).toString());
    f.set("OPENCLAW_LOAD_SHELL_ENV", "1");
    f.set("OPENCLAW_SHELL_ENV_TIMEOUT_MS", "soon");
    assertThat(load().shellApplied()).containsExactly("OPENAI_API_KEY");
  }

  @Test
  void configWithoutEnvBlockContributesNothing() throws Exception {
    assertThat(ClawConfig.empty(f.config()).envVars()).isEmpty();
    assertThat(openai()).isEmpty();
  }
}
