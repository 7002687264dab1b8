package dev.clawauth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "monitor", description = {
    "Check the credentials on a schedule and run a command of yours when one is missing, "
        + "expired or about to expire (the verdict of `clawauth models status --check`)."})
public final class MonitorCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
