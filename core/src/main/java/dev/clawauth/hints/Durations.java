package dev.clawauth.hints;

/** Remaining time as {@code models status} prints it: 0m, 14m, 12h, 30d. */
public final class Durations {
  private Durations() {}

  public static String remaining(long ms) {
    if (ms <= 0) {
      return "0m";
    }
    long minutes = Math.max(1, Math.round(ms / 60_000.0));
    if (minutes < 60) {
      return minutes + "m";
    }
    long hours = Math.round(ms / 3_600_000.0);
    if (hours < 48) {
      return hours + "h";
    }
    return Math.round(ms / 86_400_000.0) + "d";
  }

  /** Parses {@code 365d}, {@code 12h}, {@code 30m}, {@code 45s} into milliseconds. */
  public static long parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
    var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)?").matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid duration \"" + text + "\": use a number with d, h, m or s, e.g. 365d or 12h.");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    long ms = switch (unit) {
      case "s" -> n * 1000L;
      case "m" -> n * 60_000L;
      case "h" -> n * 3_600_000L;
      case "d" -> n * 86_400_000L;
      case "w" -> n * 7 * 86_400_000L;
      default -> n;
    };
    if (ms <= 0) {
      throw new IllegalArgumentException("Invalid duration \"" + text + "\": it must be positive.");
    }
    return ms;
  }
}
