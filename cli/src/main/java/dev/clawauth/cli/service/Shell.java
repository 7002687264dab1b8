package dev.clawauth.cli.service;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** POSIX shell quoting, for the command lines clawauth prints or hands to cron. */
public final class Shell {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._:=@,+-]+");

  private Shell() {}

  public static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  public static String join(List<String> words) {
    return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}
