package dev.clawauth.cli;

import dev.clawauth.json.JsonFileException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Turns every failure into one readable line on stderr and exit code 1 (picocli's default of 2
 * would collide with {@code models status --check}'s "expiring"). {@code --verbose} adds the trace.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean verbose = verbose(parsed);
    boolean expected = ex instanceof CliException || ex instanceof JsonFileException
        || ex instanceof IllegalArgumentException || ex instanceof dev.clawauth.store.StoreUnavailableException;
    // One line without --verbose: the hint for unexpected failures goes on the same line.
    err.println("Error: " + message(ex)
        + (verbose || expected ? "" : " (run again with --verbose for details)"));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return exitCode(ex);
  }

  static int exitCode(Throwable ex) {
    return ex instanceof CliException c ? c.exitCode() : 1;
  }

  static String message(Throwable ex) {
    if (ex instanceof CliException || ex instanceof JsonFileException
        || ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (ex instanceof java.nio.file.NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    String m = ex.getMessage();
    return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
  }

  static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("Error: " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    if (Arrays.asList(args).contains("--verbose")) {
      ex.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  private static boolean verbose(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult p = parsed;
    while (p != null) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
      p = p.subcommand();
    }
    return false;
  }
}
