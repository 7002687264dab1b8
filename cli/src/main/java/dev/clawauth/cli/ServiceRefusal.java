package dev.clawauth.cli;

import dev.clawauth.cli.service.Host;
import dev.clawauth.cli.service.Launch;
import dev.clawauth.cli.service.Shell;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** What to say when no service manager can run the gateway: why, and how to run it without one. */
final class ServiceRefusal {
  private ServiceRefusal() {}

  /** Prints the reason and the foreground commands on stderr; the exit code is 1. */
  static int gateway(PrintWriter err, String why, Launch launch, Host host) {
    List<String> cmd = new ArrayList<>(List.of("clawauth"));
    cmd.addAll(launch.args());
    String log = launch.logDir().resolve("gateway.log").toString();
    err.println("Error: " + why + ", so the gateway cannot be installed as a service; nothing was written.");
    err.println("Run it in the foreground instead:");
    err.println("  " + Shell.join(cmd));
    err.println("or in the background, logging to " + log + ":");
    err.println("  mkdir -p " + Shell.quote(launch.logDir().toString()) + " && nohup " + Shell.join(cmd)
        + " >> " + Shell.quote(log) + " 2>&1 &");
    if (host.termux()) {
      err.println("On Termux, termux-services (pkg install termux-services) can keep it running:"
          + " see docs/service.md, \"Termux\".");
    }
    err.flush();
    return 1;
  }
}
