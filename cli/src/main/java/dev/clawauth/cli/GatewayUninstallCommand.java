package dev.clawauth.cli;

import dev.clawauth.cli.service.Exec;
import dev.clawauth.cli.service.Host;
import dev.clawauth.cli.service.Launchd;
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

@Command(name = "uninstall", description = "Stop the gateway service and remove its unit (or plist). Credentials and state stay.")
final class GatewayUninstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Host host = Host.current(Environment.system());
    Exec exec = new Exec(host);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (host.mac()) {
      Path file = host.gatewayServiceFile();
      if (!Files.exists(file)) {
        out.println("Nothing to uninstall: " + file + " does not exist.");
        out.flush();
        return 0;
      }
      Exec.Result r = new Launchd(exec).bootout(file);
      if (!r.ok()) {
        err.println("Note: launchctl could not unload it (" + r.why() + "); removing the plist anyway.");
      }
      Files.delete(file);
      out.println("Stopped the gateway and removed " + file + ".");
      out.flush();
      return 0;
    }
    Path file = host.gatewayServiceFile();
    if (!Files.exists(file)) {
      out.println("Nothing to uninstall: " + file + " does not exist.");
      out.flush();
      return 0;
    }
    Systemd systemd = new Systemd(exec);
    boolean usable = systemd.unusable().isEmpty();
    if (usable) {
      Exec.Result r = systemd.disableNow(SystemdUnits.GATEWAY);
      if (!r.ok()) {
        err.println("Note: `systemctl --user disable --now` failed (" + r.why() + "); removing the unit anyway.");
      }
    }
    Files.delete(file);
    if (usable) {
      systemd.daemonReload();
    }
    out.println("Stopped the gateway service and removed " + file + ".");
    out.flush();
    return 0;
  }
}
