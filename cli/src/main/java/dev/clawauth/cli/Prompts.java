package dev.clawauth.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Questions asked on the terminal: masked secrets, lines with a default, yes/no, and a choice moved
 * with the arrow keys. Opened only when standard input is a terminal; a cancelled prompt (Ctrl-C,
 * Ctrl-D) ends the command with exit 1 and writes nothing.
 */
final class Prompts implements AutoCloseable {
  private final Terminal terminal;
  private final LineReader reader;
  private final Attributes original;

  private Prompts(Terminal terminal) {
    this.terminal = terminal;
    this.original = terminal.getAttributes();
    // No echo between prompts either: keys typed ahead (a paste before the prompt is drawn) stay hidden.
    Attributes quiet = new Attributes(original);
    quiet.setLocalFlag(Attributes.LocalFlag.ECHO, false);
    terminal.setAttributes(quiet);
    this.reader = LineReaderBuilder.builder().terminal(terminal)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .variable(LineReader.DISABLE_HISTORY, true)
        .build();
  }

  static Prompts open() {
    try {
      Terminal t = TerminalBuilder.builder().system(true).provider("exec")
          .systemOutput(TerminalBuilder.SystemOutput.SysOutOrSysErr)
          .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN)
          .build();
      return new Prompts(t);
    } catch (IOException e) {
      throw new CliException("Cannot open the terminal for prompting: " + e.getMessage());
    }
  }

  PrintWriter out() {
    return terminal.writer();
  }

  void println(String line) {
    terminal.writer().println(line);
    terminal.flush();
  }

  /** Reads a secret; what is typed or pasted is shown as '*' only. */
  String secret(String prompt) {
    return read(prompt, '*', null);
  }

  String line(String prompt, String defaultValue) {
    String answer = read(prompt + (defaultValue == null ? "" : " [" + defaultValue + "]") + ": ", null, null);
    return answer.isBlank() && defaultValue != null ? defaultValue : answer.trim();
  }

  boolean confirm(String question, boolean defaultYes) {
    String a = read(question + (defaultYes ? " [Y/n] " : " [y/N] "), null, null).trim();
    if (a.isEmpty()) {
      return defaultYes;
    }
    return a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes");
  }

  private String read(String prompt, Character mask, String buffer) {
    try {
      return reader.readLine(prompt, null, mask, buffer);
    } catch (UserInterruptException | EndOfFileException e) {
      throw new CliException("Cancelled; nothing was changed.");
    }
  }

  /** Lets the user pick one of {@code options} with the arrow keys (or j/k, or its number) and Enter. */
  int select(String title, List<String> options, int initial) {
    PrintWriter w = terminal.writer();
    KeyMap<String> keys = new KeyMap<>();
    keys.bind("up", "\033[A", "\033OA", "k");
    keys.bind("down", "\033[B", "\033OB", "j");
    keys.bind("enter", "\r", "\n");
    keys.bind("cancel", KeyMap.ctrl('C'), KeyMap.ctrl('D'), "q");
    for (int i = 1; i <= Math.min(9, options.size()); i++) {
      keys.bind("n" + i, String.valueOf(i));
    }
    BindingReader in = new BindingReader(terminal.reader());
    Attributes saved = terminal.enterRawMode();
    int current = Math.max(0, Math.min(initial, options.size() - 1));
    try {
      w.print(title + "  (arrow keys, Enter)\r\n");
      render(w, options, current, false);
      while (true) {
        String op = in.readBinding(keys);
        if (op == null || op.equals("cancel")) {
          throw new CliException("Cancelled; nothing was changed.");
        }
        switch (op) {
          case "up" -> current = (current + options.size() - 1) % options.size();
          case "down" -> current = (current + 1) % options.size();
          case "enter" -> {
            render(w, options, current, true);
            return current;
          }
          default -> current = Integer.parseInt(op.substring(1)) - 1;
        }
        render(w, options, current, true);
      }
    } finally {
      terminal.setAttributes(saved);
      w.flush();
    }
  }

  private void render(PrintWriter w, List<String> options, int current, boolean redraw) {
    if (redraw) {
      w.print("\033[" + options.size() + "A");
    }
    for (int i = 0; i < options.size(); i++) {
      w.print("\r\033[K" + (i == current ? "> " : "  ") + (i + 1) + ". " + options.get(i) + "\r\n");
    }
    w.flush();
  }

  @Override
  public void close() {
    try {
      terminal.setAttributes(original);
      terminal.close();
    } catch (IOException ignored) {
      // Closing restores the terminal; nothing else to do if that fails.
    }
  }
}
