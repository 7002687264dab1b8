package dev.clawauth.state;

import java.util.regex.Pattern;

/** Agent ids: letters, digits, '-' and '_', starting with a letter or digit, at most 64, stored lower case. */
public final class AgentIds {
  private AgentIds() {}

  public static final String DEFAULT = "main";
  public static final String RULE =
      "letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** Returns the normalised id, or throws naming the rule; never rewrites a bad id into a good one. */
  public static String validate(String id) {
    String trimmed = id == null ? "" : id.trim();
    if (!VALID.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          "Invalid agent id \"" + printable(trimmed) + "\": use " + RULE + ".");
    }
    return trimmed.toLowerCase(java.util.Locale.ROOT);
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
