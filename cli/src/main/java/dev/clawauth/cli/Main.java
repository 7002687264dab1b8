package dev.clawauth.cli;

import picocli.CommandLine;

/** Entry point of the {@code clawauth} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args);
    AotTraining.runIfAsked();
    System.exit(code);
  }

  static int run(String[] args) {
    CommandLine cli = CommandTree.build(args);
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setParameterExceptionHandler(FailureHandler::usageError);
    cli.setExitCodeExceptionMapper(FailureHandler::exitCode);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    addHelpEverywhere(cli);
    return cli.execute(args);
  }

  // Every command answers --help, whether or not its class remembered to ask for it.
  private static void addHelpEverywhere(CommandLine cmd) {
    if (cmd.getCommandSpec().findOption("--help") == null) {
      cmd.getCommandSpec().mixinStandardHelpOptions(true);
    }
    cmd.getSubcommands().values().forEach(Main::addHelpEverywhere);
  }
}
