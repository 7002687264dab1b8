package dev.clawauth.cli;

import picocli.CommandLine;

/** Entry point of the {@code clawauth} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new ClawauthCommand());
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setParameterExceptionHandler(FailureHandler::usageError);
    cli.setExitCodeExceptionMapper(FailureHandler::exitCode);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli.execute(args);
  }
}
