package dev.clawauth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "clawauth",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Model credentials for OpenClaw agents: store, choose, refresh, and report on them.",
    commandListHeading = "%nCommands:%n")
public final class ClawauthCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces and extra detail on failure.")
  boolean verbose;

  @Option(names = "--no-color", scope = ScopeType.INHERIT,
      description = "Disable ANSI colours (also: NO_COLOR=1; off when not a terminal).")
  boolean noColor;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
