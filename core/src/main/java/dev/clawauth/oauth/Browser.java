package dev.clawauth.oauth;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** Opens a URL in the desktop's browser with the platform's opener; failure is not an error. */
public final class Browser {
  private Browser() {}

  /** Starts the opener and returns whether it could be started; never waits for the browser. */
  public static boolean open(String url) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    List<String> cmd = os.contains("mac") ? List.of("open", url)
        : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
        : List.of("xdg-open", url);
    try {
      new ProcessBuilder(cmd)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(os.contains("win") ? "NUL" : "/dev/null")))
          .start();
      return true;
    } catch (IOException | RuntimeException noOpener) {
      return false;
    }
  }
}
