package dev.clawauth.json;

import java.nio.file.Path;

/**
 * A file that is not valid JSON (or JSON5). The message names the file, line and column and says
 * what to do; it never quotes the file's content, which may hold secrets.
 */
public final class JsonFileException extends Exception {
  private final Path file;
  private final int line;
  private final int column;
  private final String problem;

  public JsonFileException(Path file, int line, int column, String problem) {
    this(file, file.toString(), line, column, problem,
        "Fix the file by hand or move it aside; Clawauth will not overwrite it.");
  }

  /**
   * JSON held inside {@code file} (a database row, say) that does not parse; {@code where} names
   * the file and the part, {@code advice} says what to do.
   */
  public JsonFileException(Path file, String where, int line, int column, String problem, String advice) {
    super(where + ":" + line + ":" + column + ": " + firstLine(problem) + ". " + advice);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = firstLine(problem);
  }

  /** What is wrong at {@link #line()}:{@link #column()}, without any of the file's content. */
  public String problem() {
    return problem;
  }

  public Path file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  // Jackson's messages can quote the offending token, which may be part of a secret. Only
  // quoted runs without spaces are tokens; longer quoted runs are Jackson's own prose.
  private static String firstLine(String problem) {
    if (problem == null) {
      return "not valid JSON";
    }
    String line = problem.lines().findFirst().orElse("not valid JSON");
    if (line.startsWith("Duplicate field '") && line.endsWith("'")) {
      // A key is a name (a profile id, a field), not content: the reader must know which one to keep.
      // Anything shaped like a key or token is still masked.
      String key = dev.clawauth.credentials.SecretFilter.shortMessage(line.substring(17, line.length() - 1),
          java.util.List.of());
      return "duplicate key \"" + key + "\": it is given twice in one object; keep one of the two entries and"
          + " remove or rename the other";
    }
    int quote = line.indexOf('\'');
    if (quote >= 0 && line.startsWith("Unrecognized token")) {
      return "unrecognized token";
    }
    return line.replaceAll("\\(String\\)\"[^\"]*\"", "a string").replaceAll("'[^'\\s]{7,}'", "a token");
  }
}
