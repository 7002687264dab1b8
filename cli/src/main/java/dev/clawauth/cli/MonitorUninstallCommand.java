package dev.clawauth.cli;

import dev.clawauth.cli.service.Crontab;
import dev.clawauth.cli.service.Exec;
import dev.clawauth.cli.service.Host;
import dev.clawauth.cli.service.Systemd;
import dev.clawauth.cli.service.SystemdUnits;
import dev.clawauth.state.Environment;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "uninstall", description = "Remove the scheduled check: the systemd timer and service, and the crontab line.")
final class MonitorUninstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Host host = Host.current(Environment.system());
    Exec exec = new Exec(host);
    PrintWriter out = spec.commandLine().getOut();
    boolean removed = false;
    Path timer = host.systemdUserDir().resolve(SystemdUnits.MONITOR_TIMER);
    Path service = host.systemdUserDir().resolve(SystemdUnits.MONITOR_SERVICE);
    if (Files.exists(timer) || Files.exists(service)) {
      Systemd systemd = new Systemd(exec);
      boolean usable = systemd.unusable().isEmpty();
      if (usable) {
        systemd.disableNow(SystemdUnits.MONITOR_TIMER);
      }
      Files.deleteIfExists(timer);
      Files.deleteIfExists(service);
      if (usable) {
        systemd.daemonReload();
      }
      out.println("Removed " + timer + " and " + service + ".");
      removed = true;
    }
    Crontab crontab = new Crontab(exec);
    try {
      if (crontab.usable() && crontab.remove()) {
        out.println("Removed the " + Crontab.MARKER + " line from your crontab.");
        removed = true;
      }
    } catch (Crontab.Unreadable e) {
      out.flush();
      throw new CliException("cannot read your crontab (" + e.getMessage() + "), so it was left as it is;"
          + " remove the line ending in " + Crontab.MARKER + " with `crontab -e`.");
    }
    if (!removed) {
      out.println("Nothing to uninstall: no clawauth-monitor timer and no " + Crontab.MARKER + " crontab line.");
    }
    out.flush();
    return 0;
  }
}
