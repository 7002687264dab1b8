package dev.clawauth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Where a pasted secret comes from: standard input when it is piped, a masked prompt on a terminal. */
final class SecretInput {
  private SecretInput() {}

  static final int MAX_BYTES = 64 * 1024;

  /** Reads the secret; surrounding whitespace (the trailing \n, \r\n or \r of a pipe) is removed. */
  static String read(String prompt) {
    if (Tty.stdinIsTerminal()) {
      try (Prompts p = Prompts.open()) {
        return p.secret(prompt).strip();
      }
    }
    return fromStdin();
  }

  static String fromStdin() {
    try {
      InputStream in = System.in;
      byte[] data = in.readNBytes(MAX_BYTES + 1);
      if (data.length > MAX_BYTES) {
        throw new CliException("Standard input is longer than " + MAX_BYTES + " bytes; pipe only the secret.");
      }
      return new String(data, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException("Cannot read standard input: " + e.getMessage());
    }
  }
}
