package dev.clawauth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code clawauth …} command lines printed in README.md and docs/**&#47;*.md, as a reader
 * would copy them: from fenced shell blocks, one command a line, the {@code $ } prompt and a
 * trailing {@code # comment} left out, {@code \} continuations joined, and the words split as a
 * shell splits them, up to the first pipe, redirection or command separator.
 */
final class DocCommands {
  private DocCommands() {}

  /** A command line of a document, where it is, and its words after {@code clawauth}. */
  record DocCommand(String file, int line, String text, List<String> args) {
    String where() {
      return file + ":" + line;
    }
  }

  private static final Set<String> SHELL_BLOCKS = Set.of("", "bash", "sh", "shell", "console");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([\\w-]*).*$");
  /** {@code <profileId>}: a placeholder, not a redirection. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z][\\w-]*>");
  private static final Pattern COMMAND = Pattern.compile("^(?:bin/)?clawauth(?:\\s|$)");

  /** The repository root: the first directory above the working directory holding README.md and docs/. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
  }

  /** README.md and every docs/**&#47;*.md, in a stable order. */
  static List<Path> documents(Path root) throws IOException {
    List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> walk = Files.walk(root.resolve("docs"))) {
      walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    }
    return out;
  }

  static List<DocCommand> extract(Path root) throws IOException {
    List<DocCommand> out = new ArrayList<>();
    for (Path doc : documents(root)) {
      out.addAll(extract(root.relativize(doc).toString(), Files.readAllLines(doc, StandardCharsets.UTF_8)));
    }
    return out;
  }

  static List<DocCommand> extract(String file, List<String> lines) {
    List<DocCommand> out = new ArrayList<>();
    String fence = null;
    boolean shell = false;
    StringBuilder joined = new StringBuilder();
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m = FENCE.matcher(line);
      if (m.matches() && (fence == null || m.group(1).startsWith(fence) && m.group(2).isEmpty())) {
        if (fence == null) {
          fence = m.group(1);
          shell = SHELL_BLOCKS.contains(m.group(2).toLowerCase(java.util.Locale.ROOT));
        } else {
          fence = null;
        }
        joined.setLength(0);
        continue;
      }
      if (fence == null || !shell) {
        continue;
      }
      if (joined.isEmpty()) {
        start = i + 1;
      }
      String stripped = line.strip();
      if (stripped.endsWith("\\")) {
        joined.append(stripped, 0, stripped.length() - 1).append(' ');
        continue;
      }
      joined.append(stripped);
      String text = joined.toString().strip();
      joined.setLength(0);
      if (text.startsWith("$ ")) {
        text = text.substring(2).strip();
      }
      if (COMMAND.matcher(text).find()) {
        List<String> words = words(text);
        out.add(new DocCommand(file, start, String.join(" ", words), List.copyOf(words.subList(1, words.size()))));
      }
    }
    return out;
  }

  /**
   * The words of {@code line} as a shell splits them (quotes removed), up to an unquoted comment,
   * pipe, redirection, {@code ;} or {@code &}: what {@code clawauth} itself receives.
   */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
        continue;
      }
      Matcher placeholder = c == '<' ? PLACEHOLDER.matcher(line).region(i, line.length()) : null;
      if (placeholder != null && placeholder.lookingAt()) {
        word = word == null ? new StringBuilder() : word;
        word.append(placeholder.group());
        i = placeholder.end() - 1;
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
      } else if (c == '#' && word == null || "|;&<>".indexOf(c) >= 0) {
        if (c == '>' && word != null && word.toString().matches("\\d")) {
          word = null; // the 2 of 2>
        }
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    return out;
  }
}
