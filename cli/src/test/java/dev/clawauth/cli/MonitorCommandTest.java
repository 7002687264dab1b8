package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.TestSecrets;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code monitor install|uninstall|run} and {@code models status --check --quiet} on the real jar. */
final class MonitorCommandTest {
  private static final long HOUR = 3_600_000L;

  @TempDir
  Path tmp;
  Scenario s;
  FakeServiceTools tools;

  @BeforeEach
  void setUp() throws Exception {
    s = new Scenario(tmp);
    tools = new FakeServiceTools(tmp.resolve("tools"));
    s.clawauth.env("PATH", tools.bin.toString());
  }

  private Path userUnit(String name) {
    return s.home.resolve(".config/systemd/user").resolve(name);
  }

  private void tokenProfile(String id, long expiresInMs) throws Exception {
    s.writeStore("""
        {"version": 1, "profiles": {"%s": {"type": "token", "provider": "anthropic", "token": "%s", "expires": %d}}}
        """.formatted(id, TestSecrets.get("ANTHROPIC_TOKEN"), System.currentTimeMillis() + expiresInMs));
  }

  @Test
  void quietCheckPrintsNothingWhenAllIsWellAndOneLinePerProblemOtherwise() throws Exception {
    s.clawauth.env("ANTHROPIC_API_KEY", TestSecrets.get("ANTHROPIC_KEY"));
    var ok = s.run("models", "status", "--check", "--quiet");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout()).isEmpty();
    assertThat(ok.stderr()).isEmpty();
    s.clawauth.env("ANTHROPIC_API_KEY", null);

    var missing = s.run("models", "status", "--check", "--quiet");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stdout().lines().toList()).hasSize(1).first().asString()
        .startsWith("anthropic: no credential. Fix: ").contains("clawauth models auth paste-token --provider anthropic");

    tokenProfile("anthropic:sub", 3 * HOUR);
    var expiring = s.run("models", "status", "--check", "--quiet");
    assertThat(expiring.exitCode()).isEqualTo(2);
    assertThat(expiring.stdout().lines().toList()).hasSize(1).first().asString()
        .startsWith("anthropic:sub: expires in ").contains(". Fix: clawauth models auth paste-token --provider anthropic"
            + " --profile-id anthropic:sub");
    StateFiles.assertNoSecret(expiring, TestSecrets.get("ANTHROPIC_TOKEN"));

    var alone = s.run("models", "status", "--quiet");
    assertThat(alone.exitCode()).isEqualTo(1);
    assertThat(alone.stderr()).contains("--quiet goes with --check");
  }

  @Test
  void runCallsTheNotifyCommandOnlyWhenTheCheckFailsWithASummaryWithoutSecrets() throws Exception {
    Path seen = tmp.resolve("notified.txt");
    String notify = "printf '%s\\n%s\\n%s\\n' \"$CLAWAUTH_CHECK_EXIT\" \"$CLAWAUTH_AGENT\" \"$CLAWAUTH_CHECK_SUMMARY\" > '"
        + seen + "'";
    s.clawauth.env("ANTHROPIC_API_KEY", TestSecrets.get("ANTHROPIC_KEY"));
    var ok = s.run("monitor", "run", "--notify", notify);
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout()).isEmpty();
    assertThat(seen).as("a passing check notifies nobody").doesNotExist();
    s.clawauth.env("ANTHROPIC_API_KEY", null);

    tokenProfile("anthropic:sub", -HOUR);
    var expired = s.run("monitor", "run", "--notify", notify);
    assertThat(expired.exitCode()).as(expired.toString()).isEqualTo(1);
    assertThat(expired.stdout()).contains("anthropic: no usable credential");
    List<String> env = Files.readAllLines(seen);
    assertThat(env).hasSize(3);
    assertThat(env.get(0)).isEqualTo("1");
    assertThat(env.get(1)).isEqualTo("main");
    assertThat(env.get(2)).startsWith("clawauth FAIL (agent main): anthropic: no usable credential")
        .doesNotContain(TestSecrets.get("ANTHROPIC_TOKEN"));
    StateFiles.assertNoSecret(expired, TestSecrets.get("ANTHROPIC_TOKEN"));

    var failing = s.run("monitor", "run", "--notify", "echo cannot reach the phone >&2; exit 7");
    assertThat(failing.exitCode()).as("the check's code, not the notifier's").isEqualTo(1);
    assertThat(failing.stderr()).contains("notify command failed (exit code 7)").contains("cannot reach the phone");
  }

  @Test
  void installWritesATimerAndAOneshotServiceAndUninstallRemovesThem() throws Exception {
    tools.systemctl();
    var r = s.run("monitor", "install", "--every", "15m", "--notify", "notify-send \"$CLAWAUTH_CHECK_SUMMARY\"",
        "--agent", "work");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path timer = userUnit("clawauth-monitor.timer");
    Path service = userUnit("clawauth-monitor.service");
    assertThat(Files.readString(timer).lines().toList()).contains("OnBootSec=5min", "OnUnitActiveSec=15min",
        "Persistent=true", "Unit=clawauth-monitor.service", "WantedBy=timers.target");
    assertThat(Files.readString(service).lines().toList()).contains("Type=oneshot", "TimeoutStartSec=5min",
        "ExecStart=" + Path.of(System.getProperty("java.home"), "bin", "java") + " -jar "
            + ClawauthProcess.JAR.toAbsolutePath().normalize()
            + " monitor run --notify \"notify-send \\\"$$CLAWAUTH_CHECK_SUMMARY\\\"\" --agent work");
    assertThat(tools.calls()).containsSubsequence("systemctl --user daemon-reload",
        "systemctl --user enable --now clawauth-monitor.timer");

    Optional<Path> analyze = GatewayServiceTest.systemdAnalyze();
    if (analyze.isPresent()) {
      GatewayServiceTest.assertVerified(analyze.get(), timer, service);
    } else {
      System.err.println("NOTE: systemd-analyze is not installed; the monitor units are not verified");
    }

    var un = s.run("monitor", "uninstall");
    assertThat(un.exitCode()).as(un.toString()).isZero();
    assertThat(timer).doesNotExist();
    assertThat(service).doesNotExist();
    assertThat(tools.calls()).contains("systemctl --user disable --now clawauth-monitor.timer");
  }

  @Test
  void withoutSystemdItInstallsOneMarkedCrontabLineAndKeepsTheOthers() throws Exception {
    tools.crontab();
    Files.writeString(tools.crontab, "MAILTO=me\n5 4 * * * backup.sh\n0 * * * * old clawauth line # clawauth-monitor\n");
    var r = s.run("monitor", "install", "--every", "6h", "--notify", "echo 100% > /dev/null");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = Files.readAllLines(tools.crontab);
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(0, 2)).containsExactly("MAILTO=me", "5 4 * * * backup.sh");
    assertThat(lines.get(2)).startsWith("0 */6 * * * OPENCLAW_STATE_DIR=" + s.state + " ")
        .contains(" monitor run --notify 'echo 100\\% > /dev/null' >> " + s.state.resolve("logs/monitor.log") + " 2>&1")
        .endsWith(" # clawauth-monitor");
    assertThat(userUnit("clawauth-monitor.timer")).doesNotExist();

    var refused = s.run("monitor", "install", "--every", "7h");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("cron cannot run something every 7h");
    assertThat(Files.readAllLines(tools.crontab)).as("a refused install changes nothing").isEqualTo(lines);

    var un = s.run("monitor", "uninstall");
    assertThat(un.exitCode()).as(un.toString()).isZero();
    assertThat(Files.readAllLines(tools.crontab)).containsExactly("MAILTO=me", "5 4 * * * backup.sh");
    var again = s.run("monitor", "uninstall");
    assertThat(again.stdout()).startsWith("Nothing to uninstall");
  }

  @Test
  void aCrontabThatCannotBeListedIsLeftAloneByInstallAndUninstall() throws Exception {
    tools.crontabThatCannotList();
    List<String> table = List.of("MAILTO=me", "5 4 * * * backup.sh", "0 * * * * old clawauth line # clawauth-monitor");
    Files.write(tools.crontab, table);
    var r = s.run("monitor", "install", "--every", "6h");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().lines().toList()).hasSize(1).first().asString()
        .startsWith("Error: cannot read your crontab (`crontab -l` failed: You (user) are not allowed")
        .contains("add this line with `crontab -e`: 0 */6 * * * ").endsWith(" # clawauth-monitor");
    assertThat(Files.readAllLines(tools.crontab)).as("nothing was written over the table").isEqualTo(table);
    assertThat(tools.calls()).doesNotContain("crontab -");

    var un = s.run("monitor", "uninstall");
    assertThat(un.exitCode()).as(un.toString()).isEqualTo(1);
    assertThat(un.stderr().lines().toList()).hasSize(1).first().asString()
        .startsWith("Error: cannot read your crontab").endsWith("remove the line ending in # clawauth-monitor with"
            + " `crontab -e`.");
    assertThat(Files.readAllLines(tools.crontab)).isEqualTo(table);
  }

  @Test
  void aNotifyCommandThatLeavesAChildBehindDoesNotHoldTheRunOpen() throws Exception {
    tokenProfile("anthropic:sub", -HOUR);
    long start = System.nanoTime();
    // The background child keeps the notify command's stdout and stderr open for 30 s; the pause
    // lets clawauth be reading them when the command itself exits.
    var r = s.run("monitor", "run", "--notify", "echo sent; /bin/sleep 30 & /bin/sleep 1");
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr()).contains("sent");
    assertThat(seconds).as("monitor run took %d s", seconds).isLessThan(10);
  }

  @Test
  void aConfigThatCannotBeReadIsReportedAndNotifiedAsAFailure() throws Exception {
    Path seen = tmp.resolve("notified.txt");
    tokenProfile("anthropic:sub", -HOUR);
    Path config = s.writeConfig("openclaw.json", "{\n  \"agents\": {\"defaults\": \"sk-ant-not-shown\",,}\n}\n");
    var r = s.run("monitor", "run", "--notify",
        "printf '%s\\n%s\\n' \"$CLAWAUTH_CHECK_EXIT\" \"$CLAWAUTH_CHECK_SUMMARY\" > '" + seen + "'");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout().lines().toList()).hasSize(1).first().asString()
        .startsWith("the check could not run: " + config + ":2:");
    List<String> notified = Files.readAllLines(seen);
    assertThat(notified.get(0)).isEqualTo("1");
    assertThat(notified.get(1)).startsWith("clawauth FAIL (agent default): the check could not run: " + config + ":2:")
        .doesNotContain("sk-ant-not-shown");
    assertThat(r.toString()).doesNotContain("sk-ant-not-shown");
  }

  @Test
  void withNeitherSystemdNorCrontabTheLineIsPrintedAndNothingInstalled() throws Exception {
    var r = s.run("monitor", "install");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("no systemctl on PATH").contains("no crontab command");
    assertThat(r.stdout()).startsWith("0 * * * * ").contains(" monitor run ").endsWith("# clawauth-monitor\n");
    assertThat(s.home.resolve(".config")).doesNotExist();

    for (String[] every : new String[][] {{"15m", "*/15 * * * * "}, {"30min", "*/30 * * * * "}, {"120m", "0 */2 * * * "},
        {"12h", "0 */12 * * * "}, {"24h", "0 0 * * * "}, {"1d", "0 0 * * * "}}) {
      var printed = s.run("monitor", "install", "--print", "--every", every[0]);
      assertThat(printed.exitCode()).as(printed.toString()).isZero();
      assertThat(printed.stdout()).as(every[0]).startsWith(every[1]);
    }
    for (String every : List.of("45m", "5h", "2d", "0h", "1w", "soon")) {
      var refused = s.run("monitor", "install", "--print", "--every", every);
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.stderr().lines().toList()).as(every).hasSize(1).first().asString().startsWith("Error: ")
          .containsAnyOf("cron cannot run something every", "is not an interval");
    }
  }

  @Test
  void theNotifyExamplesAreShellScriptsThatParse() throws Exception {
    Path examples = ClawauthProcess.JAR.toAbsolutePath().getParent().getParent().getParent().resolve("examples/monitor");
    List<String> names = List.of("notify-send.sh", "ntfy.sh", "mail.sh", "termux-notification.sh",
        "termux-widget/clawauth-check.sh");
    for (String name : names) {
      Path f = examples.resolve(name);
      assertThat(f).as(name).isExecutable();
      assertThat(Files.readAllLines(f).getFirst()).as(name).isEqualTo("#!/bin/sh");
      Process p = new ProcessBuilder("/bin/sh", "-n", f.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(name + ": " + out).isZero();
    }
  }

  @Test
  void theNtfyExamplePostsTheSummaryItIsGiven() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "NOTE: curl is not installed");
    var posted = new java.util.concurrent.CompletableFuture<String>();
    var query = new java.util.concurrent.CompletableFuture<String>();
    HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sink.createContext("/clawauth", ex -> {
      query.complete(ex.getRequestURI().getQuery());
      posted.complete(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    sink.start();
    try {
      Path script = ClawauthProcess.JAR.toAbsolutePath().getParent().getParent().getParent()
          .resolve("examples/monitor/ntfy.sh");
      // A curl that records the command line `ps` would show, then does the real work.
      Path spy = Files.createDirectories(tmp.resolve("spy"));
      Path argv = tmp.resolve("curl-argv.txt");
      Files.writeString(spy.resolve("curl"), "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + argv + "'\nexec /usr/bin/curl \"$@\"\n");
      Files.setPosixFilePermissions(spy.resolve("curl"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      tokenProfile("anthropic:sub", -HOUR);
      s.clawauth.env("PATH", spy + ":/usr/bin:/bin")
          .env("NTFY_URL", "http://127.0.0.1:" + sink.getAddress().getPort() + "/clawauth?auth=tk_topic_secret");
      var r = s.run("monitor", "run", "--notify", script.toString());
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(posted.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .startsWith("clawauth FAIL (agent main): anthropic: no usable credential");
      assertThat(query.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("auth=tk_topic_secret");
      assertThat(Files.readString(argv)).as("the URL and its token stay off curl's command line")
          .contains("-K -").doesNotContain("tk_topic_secret").doesNotContain("127.0.0.1");
    } finally {
      sink.stop(0);
    }
  }
}
