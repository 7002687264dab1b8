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

@Command(name = "restart", description = "Restart the gateway service (after editing config or .env, or updating clawauth).")
final class GatewayRestartCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Host host = Host.current(Environment.system());
    Exec exec = new Exec(host);
    Path file = host.gatewayServiceFile();
    if (!Files.exists(file)) {
      throw new CliException("the gateway is not installed as a service (no " + file + "); install it with"
          + " `clawauth gateway install`, or restart a gateway you started yourself by stopping and starting it.");
    }
    Exec.Result r;
    if (host.mac()) {
      r = new Launchd(exec).kickstart();
    } else {
      Systemd systemd = new Systemd(exec);
      var why = systemd.unusable();
      if (why.isPresent()) {
        throw new CliException(why.get() + ", so the installed unit " + file + " cannot be restarted.");
      }
      r = systemd.restart(SystemdUnits.GATEWAY);
    }
    if (!r.ok()) {
      throw new CliException("the restart failed: " + r.why() + "; see `clawauth gateway status`.");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Restarted the gateway service; check it with `clawauth gateway status`.");
    out.flush();
    return 0;
  }
}
