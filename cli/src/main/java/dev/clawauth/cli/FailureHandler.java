package dev.clawauth.cli;

import dev.clawauth.json.JsonFileException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
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
    // A value the command refused (an agent id, a URL) is quoted back by its message: a pasted key among them is not.
    String[] args = parsed == null ? new String[0] : parsed.originalArgs().toArray(String[]::new);
    // One line without --verbose: the hint for unexpected failures goes on the same line.
    err.println("Error: " + withoutSecrets(message(ex), args)
        + (verbose || expected(ex) ? "" : " (run again with --verbose for details)"));
    if (verbose) {
      java.io.StringWriter trace = new java.io.StringWriter();
      ex.printStackTrace(new PrintWriter(trace));
      err.print(withoutSecrets(trace.toString(), args));
    }
    err.flush();
    return exitCode(ex);
  }

  static int exitCode(Throwable ex) {
    return ex instanceof CliException c ? c.exitCode() : 1;
  }

  /** Failures the command meant to report: their message is the whole story, no trace is offered. */
  private static boolean expected(Throwable ex) {
    return ex instanceof CliException || ex instanceof JsonFileException || ex instanceof IllegalArgumentException
        || ex instanceof dev.clawauth.store.StoreUnavailableException;
  }

  static String message(Throwable ex) {
    if (expected(ex) && ex.getMessage() != null) {
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
    String nearest = nearestCommand(ex);
    if (nearest != null) {
      err.println("Did you mean: " + nearest + "?");
    } else {
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    }
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
   * For an unknown subcommand ({@code models auth lst --json}), the nearest real one with the
   * arguments that followed it, ready to paste; null when nothing is close or it is not a command.
   */
  static String nearestCommand(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return null;
    }
    CommandLine cmd = ex.getCommandLine();
    String word = u.getUnmatched().getFirst();
    if (word.startsWith("-") || cmd.getSubcommands().isEmpty()) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : cmd.getSubcommands().keySet()) {
      int d = name.startsWith(word) || word.startsWith(name) ? 1 : distance(word, name);
      if (d < bestDistance && !name.equals("help")) {
        best = name;
        bestDistance = d;
      }
    }
    // Further than a third of the word is another command, not a typo.
    if (best == null || bestDistance > Math.max(2, word.length() / 3)) {
      return null;
    }
    StringBuilder out = new StringBuilder(cmd.getCommandSpec().qualifiedName()).append(' ').append(best);
    List<String> rest = u.getUnmatched().subList(1, u.getUnmatched().size());
    // A pasted key among them would be echoed: then only the command is suggested.
    if (rest.stream().noneMatch(FailureHandler::mayBeSecret)) {
      rest.forEach(a -> out.append(' ').append(a));
    }
    return out.toString();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
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
