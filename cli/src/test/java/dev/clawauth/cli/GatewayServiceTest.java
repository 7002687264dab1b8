package dev.clawauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Files;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@code gateway install|uninstall|status|restart} on the real jar, with stand-in service managers on PATH. */
final class GatewayServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  Path home;
  Path state;
  ClawauthProcess clawauth;
  FakeServiceTools tools;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(tmp.resolve("home"));
    // A space in the state dir: the unit and the plist must quote it.
    state = home.resolve("my state");
    clawauth = new ClawauthProcess(home, state);
    tools = new FakeServiceTools(tmp.resolve("tools"));
    clawauth.env("PATH", tools.bin.toString());
  }

  private Path unit() {
    return home.resolve(".config/systemd/user/clawauth-gateway.service");
  }

  @Test
  void printWritesTheUnitWithThisJdkAndJarAndInstallsNothing() throws Exception {
    var r = clawauth.run("gateway", "install", "--print", "--port", "18999", "--bind", "loopback");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = ClawauthProcess.JAR.toAbsolutePath().normalize().toString();
    assertThat(r.stdout().lines().toList()).contains(
        "[Unit]", "After=network-online.target", "Wants=network-online.target",
        "Type=simple",
        "EnvironmentFile=-" + state.resolve(".env"),
        "Environment=\"OPENCLAW_STATE_DIR=" + state + "\"",
        "ExecStart=" + java + " -jar " + jar + " gateway --port 18999 --bind loopback",
        "Restart=on-failure", "RestartSec=5", "TimeoutStopSec=20",
        "[Install]", "WantedBy=default.target");
    assertThat(tools.calls()).as("--print runs no systemctl").isEmpty();
    assertThat(home.resolve(".config")).doesNotExist();
  }

  @Test
  void theStopTimeoutOutlastsTheConfiguredShutdownGrace() throws Exception {
    Files.createDirectories(state);
    Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"shutdownGrace\": \"5m\"}}\n");
    var unit = clawauth.run("gateway", "install", "--print");
    assertThat(unit.exitCode()).as(unit.toString()).isZero();
    assertThat(unit.stdout().lines().toList()).contains("TimeoutStopSec=310").doesNotContain("TimeoutStopSec=20");

    Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"shutdownGrace\": 1500}}\n");
    clawauth.jvmOption("-Dos.name=Mac OS X");
    var plist = clawauth.run("gateway", "install", "--print");
    assertThat(plist.exitCode()).as(plist.toString()).isZero();
    assertThat(plist.stdout()).contains("<key>ExitTimeOut</key>\n  <integer>12</integer>");

    Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"shutdownGrace\": \"90m\"}}\n");
    var refused = clawauth.run("gateway", "install", "--print");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("gateway.shutdownGrace");
    assertThat(tools.calls()).isEmpty();
  }

  @Test
  void theGeneratedUnitPassesSystemdAnalyzeVerify() throws Exception {
    Optional<Path> analyze = systemdAnalyze();
    Assumptions.assumeTrue(analyze.isPresent(), "NOTE: systemd-analyze is not installed; the unit is not verified");
    var r = clawauth.run("gateway", "install", "--print", "--port", "18999");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path dir = Files.createDirectories(tmp.resolve("units"));
    Files.writeString(dir.resolve("clawauth-gateway.service"), r.stdout());
    assertVerified(analyze.get(), dir.resolve("clawauth-gateway.service"));
  }

  @Test
  void anAgentGivenAtInstallBecomesTheServicesAgentAndABadIdIsRefused() throws Exception {
    var r = clawauth.run("gateway", "install", "--print", "--agent", "Work");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).containsPattern("(?m)^ExecStart=.* gateway --agent work$");
    var bad = clawauth.run("gateway", "install", "--print", "--agent", "../etc");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains("Invalid agent id \"../etc\"");
    assertThat(tools.calls()).isEmpty();
  }

  /** systemd-analyze when installed; CI, which installs it, sets CLAWAUTH_REQUIRE_SYSTEMD_ANALYZE so a loss fails. */
  static Optional<Path> systemdAnalyze() {
    Optional<Path> found = onTestPath("systemd-analyze");
    if (found.isEmpty() && "1".equals(System.getenv("CLAWAUTH_REQUIRE_SYSTEMD_ANALYZE"))) {
      throw new AssertionError("CLAWAUTH_REQUIRE_SYSTEMD_ANALYZE=1 but systemd-analyze is not on PATH");
    }
    return found;
  }

  static Optional<Path> onTestPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d, program);
      if (!d.isEmpty() && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** System-mode verify: a container has no user manager for --user, and the directives are the same. */
  static void assertVerified(Path analyze, Path... units) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(analyze.toString(), "verify"));
    for (Path u : units) {
      cmd.add(u.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    // verify exits 0 on some warnings; a directive it does not understand must not be among them.
    assertThat(out).doesNotContain("Unknown key").doesNotContain("Failed to parse").doesNotContain("Invalid");
  }

  @Test
  void onMacOsItWritesAWellFormedLaunchdPlistAndBootstrapsIt() throws Exception {
    tools.launchctl();
    clawauth.jvmOption("-Dos.name=Mac OS X");
    var r = clawauth.run("gateway", "install", "--port", "18999");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path plist = home.resolve("Library/LaunchAgents/ai.clawauth.gateway.plist");
    assertThat(r.stdout()).contains(plist.toString());
    assertThat(StateFiles.mode(plist)).isEqualTo("rw-r--r--");
    assertThat(tools.calls()).contains("launchctl bootstrap gui/501 " + plist);

    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Element dict = (Element) factory.newDocumentBuilder()
        .parse(new InputSource(new StringReader(Files.readString(plist)))).getDocumentElement()
        .getElementsByTagName("dict").item(0);
    assertThat(value(dict, "Label").getTextContent()).isEqualTo("ai.clawauth.gateway");
    List<String> argv = strings(value(dict, "ProgramArguments"));
    assertThat(argv).as("the JVM itself, no shell that would expand $ and run backticks of <state>/.env")
        .containsExactly(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
            ClawauthProcess.JAR.toAbsolutePath().normalize().toString(), "gateway", "--port", "18999");
    assertThat(value(dict, "RunAtLoad").getNodeName()).isEqualTo("true");
    Element keepAlive = value(dict, "KeepAlive");
    assertThat(value(keepAlive, "SuccessfulExit").getNodeName()).isEqualTo("false");
    assertThat(value(dict, "ExitTimeOut").getTextContent()).as("default shutdownGrace 10 s + 10 s").isEqualTo("20");
    String log = state.resolve("logs/gateway.log").toString();
    assertThat(value(dict, "StandardOutPath").getTextContent()).isEqualTo(log);
    assertThat(value(dict, "StandardErrorPath").getTextContent()).isEqualTo(log);
    List<String> env = strings(value(dict, "EnvironmentVariables"));
    assertThat(env).containsExactly("OPENCLAW_STATE_DIR", state.toString());
    // The program launchd starts reads <state>/.env itself, word for word: run it as launchd would.
    Path ran = tmp.resolve("ran");
    String literal = TestSecrets.get("OPENAI_KEY_STATE") + " $HOME `touch " + ran + "`";
    Files.writeString(state.resolve(".env"), "OPENROUTER_API_KEY=" + literal + "\n");
    List<String> statusArgv = new ArrayList<>(argv.subList(0, 3));
    statusArgv.addAll(List.of("models", "status", "--json"));
    ProcessBuilder launchd = new ProcessBuilder(statusArgv).directory(home.toFile());
    launchd.environment().clear();
    launchd.environment().putAll(java.util.Map.of("HOME", home.toString(), env.get(0), env.get(1)));
    Process p = launchd.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    JsonNode status = JSON.readTree(p.getInputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    JsonNode openrouter = null;
    for (JsonNode provider : status.path("auth").path("providers")) {
      if (provider.path("provider").asText().equals("openrouter")) {
        openrouter = provider;
      }
    }
    assertThat(openrouter).as(status.toString()).isNotNull();
    assertThat(openrouter.at("/env/source").asText()).isEqualTo("env: OPENROUTER_API_KEY (" + state.resolve(".env") + ")");
    assertThat(openrouter.at("/env/value").asText()).isEqualTo(dev.clawauth.store.Secret.mask(literal));
    assertThat(ran).as("a backtick in .env is text, not a command").doesNotExist();

    var stopped = clawauth.run("gateway", "status", "--json");
    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(3);
    assertThat(JSON.readTree(stopped.stdout()).path("state").asText()).isEqualTo("stopped");
    Files.writeString(tools.show, "gui/501/ai.clawauth.gateway = {\n\tstate = running\n\tpid = 4242\n}\n");
    var running = clawauth.run("gateway", "status", "--json");
    assertThat(running.exitCode()).as(running.toString()).isZero();
    assertThat(JSON.readTree(running.stdout()).path("pid").asLong()).isEqualTo(4242);
    assertThat(JSON.readTree(running.stdout()).path("manager").asText()).isEqualTo("launchd");
    var restart = clawauth.run("gateway", "restart");
    assertThat(restart.exitCode()).as(restart.toString()).isZero();
    assertThat(tools.calls()).contains("launchctl kickstart -k gui/501/ai.clawauth.gateway");

    var un = clawauth.run("gateway", "uninstall");
    assertThat(un.exitCode()).as(un.toString()).isZero();
    assertThat(plist).doesNotExist();
    assertThat(tools.calls()).contains("launchctl bootout gui/501/ai.clawauth.gateway");
  }

  private static Element value(Element dict, String key) {
    NodeList kids = dict.getChildNodes();
    boolean next = false;
    for (int i = 0; i < kids.getLength(); i++) {
      if (kids.item(i) instanceof Element e) {
        if (next) {
          return e;
        }
        next = e.getTagName().equals("key") && e.getTextContent().equals(key);
      }
    }
    throw new AssertionError("no key " + key);
  }

  private static List<String> strings(Element parent) {
    List<String> out = new ArrayList<>();
    NodeList kids = parent.getChildNodes();
    for (int i = 0; i < kids.getLength(); i++) {
      Node n = kids.item(i);
      if (n instanceof Element e) {
        out.add(e.getTextContent());
      }
    }
    return out;
  }

  @Test
  void installStatusRestartUninstallDriveSystemctlAndStatusReadsTheRunningGateway() throws Exception {
    tools.systemctl().journalctl();
    var r = clawauth.run("gateway", "install");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains(unit().toString()).contains("journalctl --user -u clawauth-gateway -f")
        .contains("loginctl enable-linger");
    assertThat(StateFiles.mode(unit())).isEqualTo("rw-r--r--");
    assertThat(Files.readString(unit())).contains(" gateway\n");
    assertThat(tools.calls()).containsSubsequence("systemctl --user daemon-reload",
        "systemctl --user enable --now clawauth-gateway.service")
        .doesNotContain("systemctl --user restart clawauth-gateway.service");
    // Installing again with other options restarts the running service onto the new command line.
    var reinstall = clawauth.run("gateway", "install", "--port", "18998");
    assertThat(reinstall.exitCode()).as(reinstall.toString()).isZero();
    assertThat(Files.readString(unit())).contains(" gateway --port 18998\n");
    assertThat(tools.calls()).filteredOn(c -> c.equals("systemctl --user restart clawauth-gateway.service")).hasSize(1);
    clawauth.run("gateway", "install");

    ClawauthProcess.Gateway gw = clawauth.startGateway();
    try {
      Files.writeString(tools.show, """
          ActiveState=active
          SubState=running
          MainPID=%d
          ExecMainStartTimestamp=Thu 2026-12-03 10:00:00 UTC
          Result=success
          """.formatted(gw.process().pid()));
      Files.writeString(tools.journal, "gateway: the store could not be read: permission denied\n");
      var status = clawauth.run("gateway", "status", "--json");
      assertThat(status.exitCode()).as(status.toString()).isZero();
      JsonNode s = JSON.readTree(status.stdout());
      assertThat(s.path("installed").asBoolean()).isTrue();
      assertThat(s.path("manager").asText()).isEqualTo("systemd");
      assertThat(s.path("running").asBoolean()).isTrue();
      assertThat(s.path("pid").asLong()).isEqualTo(gw.process().pid());
      assertThat(s.path("url").asText()).isEqualTo(gw.url());
      assertThat(s.path("healthz").asBoolean()).isTrue();
      assertThat(s.path("uptimeSeconds").asLong()).isBetween(0L, 600L);
      assertThat(s.path("lastError").asText()).isEqualTo("gateway: the store could not be read: permission denied");
      assertThat(tools.calls()).contains("systemctl --user show clawauth-gateway.service -p"
          + " ActiveState,SubState,MainPID,ExecMainStartTimestamp,Result");
      var text = clawauth.run("gateway", "status");
      assertThat(text.stdout()).contains("active (running), pid " + gw.process().pid()).contains(gw.url())
          .contains("/healthz answers").contains("Last error: gateway: the store");
    } finally {
      gw.process().destroy();
      gw.process().waitFor(30, TimeUnit.SECONDS);
    }

    Files.writeString(tools.show, "ActiveState=failed\nSubState=failed\nMainPID=0\nResult=exit-code\n");
    var down = clawauth.run("gateway", "status");
    assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
    assertThat(down.stdout()).contains("failed (failed), last result exit-code").contains("Running   : no");

    var restart = clawauth.run("gateway", "restart");
    assertThat(restart.exitCode()).as(restart.toString()).isZero();
    assertThat(tools.calls()).filteredOn(c -> c.equals("systemctl --user restart clawauth-gateway.service")).hasSize(3);

    var un = clawauth.run("gateway", "uninstall");
    assertThat(un.exitCode()).as(un.toString()).isZero();
    assertThat(unit()).doesNotExist();
    assertThat(tools.calls()).containsSubsequence("systemctl --user disable --now clawauth-gateway.service",
        "systemctl --user daemon-reload");
    var again = clawauth.run("gateway", "uninstall");
    assertThat(again.exitCode()).isZero();
    assertThat(again.stdout()).startsWith("Nothing to uninstall: " + unit());

    var notInstalled = clawauth.run("gateway", "restart");
    assertThat(notInstalled.exitCode()).isEqualTo(1);
    assertThat(notInstalled.stderr()).contains("not installed as a service").contains("clawauth gateway install");
    var none = clawauth.run("gateway", "status", "--json");
    assertThat(none.exitCode()).isEqualTo(3);
    assertThat(JSON.readTree(none.stdout()).path("installed").asBoolean()).isFalse();
  }

  @Test
  void withoutSystemctlInstallRefusesPrintsTheForegroundCommandAndWritesNothing() throws Exception {
    var r = clawauth.run("gateway", "install", "--port", "18999");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines().findFirst().orElseThrow())
        .startsWith("Error: systemd is not available here (no systemctl on PATH)");
    assertThat(r.stderr()).contains("\n  clawauth gateway --port 18999\n")
        .contains("nohup clawauth gateway --port 18999 >> '" + state.resolve("logs/gateway.log") + "' 2>&1 &");
    assertThat(home.resolve(".config")).doesNotExist();
    assertThat(state).doesNotExist();

    // Without a service, status still says whether a gateway answers at the recorded URL.
    ClawauthProcess.Gateway gw = clawauth.startGateway();
    try {
      var status = clawauth.run("gateway", "status", "--json");
      assertThat(status.exitCode()).as(status.toString()).isZero();
      JsonNode s = JSON.readTree(status.stdout());
      assertThat(s.path("manager").asText()).isEqualTo("none");
      assertThat(s.path("url").asText()).isEqualTo(gw.url());
      assertThat(s.path("healthz").asBoolean()).isTrue();
      assertThat(s.path("lastError").isNull()).isTrue();
      // The last error comes from the log a nohup'd gateway writes.
      Files.createDirectories(state.resolve("logs"));
      Files.writeString(state.resolve("logs/gateway.log"), "Clawauth gateway listening on x\n"
          + "gateway: warning: the store could not be read\nrequest served\n");
      var logged = JSON.readTree(clawauth.run("gateway", "status", "--json").stdout());
      assertThat(logged.path("lastError").asText()).isEqualTo("gateway: warning: the store could not be read");
    } finally {
      gw.process().destroy();
      gw.process().waitFor(30, TimeUnit.SECONDS);
    }
    var stopped = clawauth.run("gateway", "status");
    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(3);
    assertThat(stopped.stdout()).contains("/healthz does not answer");
  }

  @Test
  void aBindOtherMachinesCouldReachNeedsAllowNonLoopbackAtInstallAlready() throws Exception {
    tools.systemctl();
    var r = clawauth.run("gateway", "install", "--bind", "0.0.0.0");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: refusing to listen on 0.0.0.0").contains("--allow-non-loopback");
    assertThat(unit()).doesNotExist();
    var allowed = clawauth.run("gateway", "install", "--print", "--bind", "0.0.0.0", "--allow-non-loopback");
    assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    assertThat(allowed.stdout()).contains(" gateway --bind 0.0.0.0 --allow-non-loopback\n");
  }

  @Test
  void aSystemctlWithoutAUserManagerAndTermuxAreRefusedWithTheirReason() throws Exception {
    tools.systemctl().userManagerDown();
    var r = clawauth.run("gateway", "install");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("systemd's user manager is not running here").contains("No medium found")
        .contains("\n  clawauth gateway\n");
    assertThat(unit()).doesNotExist();

    clawauth.env("PREFIX", "/data/data/com.termux/files/usr");
    var termux = clawauth.run("gateway", "install");
    assertThat(termux.exitCode()).isEqualTo(1);
    assertThat(termux.stderr()).startsWith("Error: Termux has no systemd").contains("termux-services");
    assertThat(unit()).doesNotExist();
  }
}
