package dev.clawauth.gateway;

import java.util.List;

/**
 * The fake provider's answers for the coding clients: {@link FakeProvider#ok()}, plus the
 * Responses event stream that Codex reads (it always asks with {@code stream: true}).
 */
final class ClientAnswers {
  static final String TEXT = "Hello from fake";

  private ClientAnswers() {}

  static FakeProvider.Script any() {
    FakeProvider.Script ok = FakeProvider.ok();
    FakeProvider.Script responses = responsesStream(TEXT);
    return (ex, s) -> (s.path().endsWith("/responses") && s.body().contains("\"stream\":true") ? responses : ok)
        .answer(ex, s);
  }

  /** The first request of a client's run that reached the provider at {@code path}; fails with the run's output. */
  static FakeProvider.Seen reached(FakeProvider provider, String path, ClientCli.Result run) {
    return provider.seen.stream().filter(s -> s.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no request reached the provider's " + path + ": " + run.both()));
  }

  /** A Responses stream of one message: created, the item added, one text delta, the item done, completed. */
  static FakeProvider.Script responsesStream(String text) {
    String item = "{\"type\":\"message\",\"id\":\"msg_fake\",\"status\":\"completed\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}]}";
    String response = "{\"id\":\"resp_fake\",\"object\":\"response\",\"created_at\":1,\"model\":\"gpt-5\",";
    String usage = "\"usage\":{\"input_tokens\":3,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":4,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":7}";
    return FakeProvider.sseRaw(List.of(
        event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":" + response
            + "\"status\":\"in_progress\",\"output\":[]}}"),
        event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":1,"
            + "\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_fake\",\"status\":\"in_progress\","
            + "\"role\":\"assistant\",\"content\":[]}}"),
        event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
            + "\"item_id\":\"msg_fake\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + text + "\"}"),
        event("response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":3,"
            + "\"output_index\":0,\"item\":" + item + "}"),
        event("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":4,\"response\":"
            + response + "\"status\":\"completed\",\"output\":[" + item + "]," + usage + "}}")), 0, -1, null);
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data;
  }
}
