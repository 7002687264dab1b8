package dev.clawauth.oauth;

import java.io.IOException;

/**
 * The user's side of a login: messages out, answers in. The CLI implements it on the terminal;
 * an embedding program can implement it on its own UI.
 */
public interface Prompter {

  /** Shows one line of information (never a secret). */
  void info(String line);

  /** Asks for a value that is not secret; returns null at end of input. */
  String readLine(String prompt) throws IOException;

  /** Asks for a secret without echoing it; returns null at end of input. */
  String readSecret(String prompt) throws IOException;
}
