package dev.clawauth.cli;

import dev.clawauth.oauth.Prompter;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Login prompts on the terminal: instructions go to stderr (stdout keeps the result), secrets are
 * read without echo on a terminal, and from stdin line by line when input is piped.
 */
final class TerminalPrompter implements Prompter {
  private final PrintWriter err;
  private final Console console;
  private BufferedReader stdin;

  TerminalPrompter(PrintWriter err) {
    this.err = err;
    this.console = Tty.console();
  }

  @Override
  public void info(String line) {
    err.println(line);
    err.flush();
  }

  @Override
  public String readLine(String prompt) throws IOException {
    if (console != null) {
      return console.readLine("%s", prompt);
    }
    err.print(prompt);
    err.flush();
    return stdin().readLine();
  }

  @Override
  public String readSecret(String prompt) throws IOException {
    if (console != null) {
      char[] v = console.readPassword("%s", prompt);
      return v == null ? null : new String(v);
    }
    err.print(prompt);
    err.println();
    err.flush();
    return stdin().readLine();
  }

  private BufferedReader stdin() {
    if (stdin == null) {
      stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return stdin;
  }
}
