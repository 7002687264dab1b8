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
    String message = withoutSecrets(ex.getMessage(), args);
    err.println("Error: " + message);
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    if (Arrays.asList(args).contains("--verbose")) {
      // The parser's own message quotes the argument: the trace carries the cleaned one.
      Exception shown = new Exception(ex.getClass().getName() + ": " + message);
      shown.setStackTrace(ex.getStackTrace());
      shown.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /**
   * {@code message} with every argument that may be a secret (a key pasted where a flag or a
   * profile id was expected) replaced by its position: the parser quotes what it could not use.
   */
  static String withoutSecrets(String message, String[] args) {
    String out = message == null ? "" : message;
    for (int i = args.length - 1; i >= 0; i--) {
      String a = args[i];
      int eq = a.startsWith("--") ? a.indexOf('=') : -1;
      String value = eq > 0 ? a.substring(eq + 1) : a;
      if (mayBeSecret(value)) {
        out = out.replace(value, "<argument " + (i + 1) + ">");
      }
    }
    return out;
  }

  /** Long runs of key characters, or anything shaped like a known credential. */
  static boolean mayBeSecret(String value) {
    String v = value.strip();
    if (dev.clawauth.credentials.KeyShapes.detect(v).isPresent()) {
      return true;
    }
    return v.length() >= 16 && v.chars().filter(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_'
        || c == '.' || c == '+' || c == '/' || c == '=').count() == v.length() && v.chars().anyMatch(Character::isDigit);
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
