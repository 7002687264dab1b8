package dev.clawauth.oauth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A user in a test: records what the login shows, hands the authorize URL to the test, and answers
 * the paste prompt with what {@code answer} makes of that URL.
 */
final class RecordingPrompter implements Prompter {
  final List<String> lines = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> authorizeUrl = new CompletableFuture<>();
  private final Function<String, String> answer;
  volatile int prompts;

  RecordingPrompter(Function<String, String> answer) {
    this.answer = answer;
  }

  @Override
  public void info(String line) {
    lines.add(line);
    if (line.trim().startsWith("http")) {
      authorizeUrl.complete(line.trim());
    }
  }

  @Override
  public String readLine(String prompt) {
    return readSecret(prompt);
  }

  @Override
  public String readSecret(String prompt) {
    prompts++;
    return answer == null ? null : answer.apply(authorizeUrl.getNow(null));
  }

  String transcript() {
    return String.join("\n", lines);
  }
}
