package dev.clawauth.store;

import java.util.Locale;

/** Provider ids are compared after this normalisation, as OpenClaw does. */
public final class Providers {
  private Providers() {}

  public static String normalize(String provider) {
    if (provider == null) {
      return "";
    }
    String p = provider.trim().toLowerCase(Locale.ROOT);
    return switch (p) {
      case "z.ai", "z-ai" -> "zai";
      case "opencode-zen" -> "opencode";
      case "qwen" -> "qwen-portal";
      default -> p;
    };
  }

  public static boolean same(String a, String b) {
    return normalize(a).equals(normalize(b));
  }
}
