package dev.clawauth.cli;

import dev.clawauth.cli.service.Exec;
import dev.clawauth.cli.service.Host;
import dev.clawauth.cli.service.Launch;
import dev.clawauth.cli.service.Launchd;
import dev.clawauth.cli.service.LaunchdPlist;
import dev.clawauth.cli.service.Systemd;
import dev.clawauth.cli.service.SystemdUnits;
import dev.clawauth.cli.service.UnitFiles;
import dev.clawauth.gateway.GatewaySettings;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AtomicFiles;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "install", header = "Run the gateway as a systemd user service or launchd agent.", description = {
    "Run the gateway as a service of your user: a systemd user unit on Linux "
        + "(~/.config/systemd/user/clawauth-gateway.service), a launchd agent on macOS "
        + "(~/Library/LaunchAgents/ai.clawauth.gateway.plist). It starts now and at login, restarts "
        + "on failure, and reads <state>/.env. Its stop timeout is gateway.shutdownGrace + 10 s, as configured at install. The JDK and jar of this run are written into it.",
    "",
    "Where neither is usable (containers, WSL without systemd, Termux) it writes nothing, "
        + "exits 1 and prints the foreground command instead."})
final class GatewayInstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "<n>", description = "Port the service listens on (default: the config's gateway.port, else 18789).")
  Integer port;

  @Option(names = "--bind", paramLabel = "<addr>", description = "Address or bind mode, as for `clawauth gateway --bind`.")
  String bind;

  @Option(names = "--agent", paramLabel = "<id>", description = "Agent the service serves to requests that name none (default: the config's default agent).")
  String agentId;

  @Option(names = "--allow-non-loopback", description = "Pass --allow-non-loopback to the gateway (needed for a --bind that is not loopback).")
  boolean allowNonLoopback;

  @Option(names = "--print", description = "Print the unit (or plist) and install nothing.")
  boolean print;

  @Override
  public Integer call() throws Exception {
    if (agentId != null) {
      try {
        agentId = dev.clawauth.state.AgentIds.validate(agentId);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw new CliException("--port " + port + " is not a port a service can keep: use 1-65535.");
    }
    if (bind != null) {
      // The service would otherwise restart every 5 s on a refusal that is known now.
      try {
        GatewaySettings.defaults().withBind(bind, allowNonLoopback).listen();
      } catch (UnknownHostException e) {
        throw new CliException("--bind \"" + bind + "\" is no address or host name of this machine.");
      }
    }
    Environment env = Environment.system();
    Host host = Host.current(env);
    List<String> args = new ArrayList<>(List.of("gateway"));
    if (port != null) {
      args.addAll(List.of("--port", port.toString()));
    }
    if (bind != null) {
      args.addAll(List.of("--bind", bind));
    }
    if (allowNonLoopback) {
      args.add("--allow-non-loopback");
    }
    if (agentId != null) {
      args.addAll(List.of("--agent", agentId));
    }
    Launch launch = Launch.of(env, args);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // The stop timeout must outlast the drain the gateway will be configured to wait for.
    StatePaths paths = StatePaths.resolve(env);
    Duration grace = GatewaySettings.load(paths, ClawConfig.load(paths.configPath())).shutdownGrace();
    String text = host.mac() ? LaunchdPlist.gateway(launch, grace) : SystemdUnits.gateway(launch, grace);
    if (print) {
      out.print(text);
      out.flush();
      return 0;
    }
    Exec exec = new Exec(host);
    Path file = host.gatewayServiceFile();
    if (host.mac()) {
      Launchd launchd = new Launchd(exec);
      if (!launchd.usable()) {
        return ServiceRefusal.gateway(err, "launchd is not available here (no launchctl on PATH)", launch, host);
      }
      AtomicFiles.createPrivateDirectories(launch.logDir());
      UnitFiles.write(file, text);
      Exec.Result r = launchd.bootstrap(file);
      if (!r.ok()) {
        throw new CliException("wrote " + file + ", but launchctl could not load it: " + r.why());
      }
      out.println("Installed the gateway as a launchd agent: " + file);
      out.println("It runs now and at every login. Log: tail -f " + launch.logDir().resolve("gateway.log"));
      out.println("Status: clawauth gateway status");
      out.flush();
      return 0;
    }
    Systemd systemd = new Systemd(exec);
    Optional<String> why = systemd.unusable();
    if (why.isPresent()) {
      return ServiceRefusal.gateway(err, why.get(), launch, host);
    }
    enable(systemd, file, text, SystemdUnits.GATEWAY);
    out.println("Installed and started the gateway as a systemd user service: " + file);
    out.println("Follow its log:  journalctl --user -u clawauth-gateway -f");
    out.println("Status:          clawauth gateway status");
    out.println("It starts when you log in; to start it at boot without a login: loginctl enable-linger $USER");
    out.flush();
    return 0;
  }

  /**
   * Writes the unit and enables it now; a unit that was installed already is restarted, since
   * {@code enable --now} leaves a running service on its old command line.
   */
  static void enable(Systemd systemd, Path file, String text, String unit) throws java.io.IOException {
    boolean again = java.nio.file.Files.exists(file);
    UnitFiles.write(file, text);
    check(systemd.daemonReload(), "systemctl --user daemon-reload", file);
    check(systemd.enableNow(unit), "systemctl --user enable --now " + unit, file);
    if (again) {
      check(systemd.restart(unit), "systemctl --user restart " + unit, file);
    }
  }

  private static void check(Exec.Result r, String what, Path file) {
    if (!r.ok()) {
      throw new CliException("`" + what + "` failed: " + r.why() + " (the unit is written: " + file + ")");
    }
  }
}
