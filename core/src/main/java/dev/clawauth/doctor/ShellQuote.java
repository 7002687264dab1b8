package dev.clawauth.doctor;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Paths quoted so that a printed fix command can be pasted into a POSIX shell as it is. */
final class ShellQuote {
  private ShellQuote() {}

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  static String of(Path p) {
    return of(p.toString());
  }

  static String of(String s) {
    return SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
