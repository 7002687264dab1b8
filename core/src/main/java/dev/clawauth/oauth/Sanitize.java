package dev.clawauth.oauth;

/** Text from a remote server, cut short and stripped of control characters before it is shown. */
final class Sanitize {
  private Sanitize() {}

  static String shortText(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("[\\p{Cntrl}]+", " ").trim();
    return t.length() <= 160 ? t : t.substring(0, 157) + "...";
  }
}
