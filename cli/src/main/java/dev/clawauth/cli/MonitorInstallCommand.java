package dev.clawauth.cli;

import dev.clawauth.cli.service.Crontab;
import dev.clawauth.cli.service.Every;
import dev.clawauth.cli.service.Exec;
import dev.clawauth.cli.service.Host;
import dev.clawauth.cli.service.Launch;
import dev.clawauth.cli.service.Shell;
import dev.clawauth.cli.service.Systemd;
import dev.clawauth.cli.service.SystemdUnits;
import dev.clawauth.cli.service.UnitFiles;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import dev.clawauth.store.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "install", header = "Schedule the credential check (systemd timer, else cron).", description = {
    "Run `clawauth monitor run` on a schedule: a systemd user timer (clawauth-monitor.timer and "
        + ".service) where systemd runs, else a line in your crontab (marked # clawauth-monitor), "
        + "else the line is printed for you to add to a scheduler (exit 1)."})
final class MonitorInstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--every", paramLabel = "<interval>", defaultValue = "1h",
      description = "How often: 15m, 30m, 1h, 6h, 12h, 1d (default: ${DEFAULT-VALUE}).")
  String every;

  @Option(names = "--notify", paramLabel = "<command>", description = "Shell command to run when the check is 1 or 2 (see `clawauth monitor run --help`).")
  String notify;

  @Option(names = "--agent", paramLabel = "<id>", description = "Agent whose credentials are checked (default: the config's default agent).")
  String agentId;

  @Option(names = "--print", description = "Print the units (or the crontab line) and install nothing.")
  boolean print;

  @Override
  public Integer call() throws Exception {
    Every interval = Every.parse(every);
    List<String> args = new ArrayList<>(List.of("monitor", "run"));
    if (notify != null) {
      args.addAll(List.of("--notify", notify));
    }
    if (agentId != null) {
      args.addAll(List.of("--agent", AgentIds.validate(agentId)));
    }
    Environment env = Environment.system();
    Host host = Host.current(env);
    Exec exec = new Exec(host);
    Launch launch = Launch.of(env, args);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Systemd systemd = new Systemd(exec);
    Optional<String> unusable = host.mac() ? Optional.of("macOS has no systemd") : systemd.unusable();
    Path timer = host.systemdUserDir().resolve(SystemdUnits.MONITOR_TIMER);
    Path service = host.systemdUserDir().resolve(SystemdUnits.MONITOR_SERVICE);
    if (unusable.isEmpty()) {
      String timerText = SystemdUnits.monitorTimer(interval);
      String serviceText = SystemdUnits.monitorService(launch);
      if (print) {
        out.print("# " + timer + "\n" + timerText + "\n# " + service + "\n" + serviceText);
        out.flush();
        return 0;
      }
      UnitFiles.write(service, serviceText);
      GatewayInstallCommand.enable(systemd, timer, timerText, SystemdUnits.MONITOR_TIMER);
      out.println("Installed the credential check every " + interval + ": " + timer);
      out.println("                                   and " + service);
      out.println("Next runs:    systemctl --user list-timers " + SystemdUnits.MONITOR_TIMER);
      out.println("Its output:   journalctl --user -u clawauth-monitor");
      if (notify == null) {
        out.println("No --notify command: problems only reach the journal. See docs/monitoring.md for notifiers.");
      }
      out.flush();
      return 0;
    }
    String line = cronLine(interval, launch);
    if (print) {
      out.println(line);
      out.flush();
      return 0;
    }
    Crontab crontab = new Crontab(exec);
    if (!crontab.usable()) {
      err.println("Error: " + unusable.get() + " and there is no crontab command, so nothing was installed."
          + " Add this line to your scheduler (it is a crontab line):");
      err.flush();
      out.println(line);
      out.flush();
      return 1;
    }
    AtomicFiles.createPrivateDirectories(launch.logDir());
    Exec.Result r;
    try {
      r = crontab.install(line);
    } catch (Crontab.Unreadable e) {
      throw new CliException("cannot read your crontab (" + e.getMessage() + "), so it was left as it is;"
          + " add this line with `crontab -e`: " + line);
    }
    if (!r.ok()) {
      throw new CliException("crontab could not be written: " + r.why());
    }
    out.println("Installed the credential check every " + interval + " in your crontab (" + unusable.get() + "):");
    out.println("  " + line);
    out.println("Its output: " + launch.logDir().resolve("monitor.log"));
    out.flush();
    return 0;
  }

  /** cron runs the line with sh and few variables; {@code %} would end the command there. */
  static String cronLine(Every interval, Launch launch) {
    StringBuilder cmd = new StringBuilder();
    for (Map.Entry<String, String> e : launch.env().entrySet()) {
      cmd.append(e.getKey()).append('=').append(Shell.quote(e.getValue())).append(' ');
    }
    cmd.append(Shell.join(launch.command())).append(" >> ")
        .append(Shell.quote(launch.logDir().resolve("monitor.log").toString())).append(" 2>&1");
    return interval.cron() + " " + cmd.toString().replace("%", "\\%") + " " + Crontab.MARKER;
  }
}
