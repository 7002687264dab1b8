package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.clawauth.gateway.translate.StreamEvent.End;
import dev.clawauth.gateway.translate.StreamEvent.Failure;
import dev.clawauth.gateway.translate.StreamEvent.Start;
import dev.clawauth.gateway.translate.StreamEvent.Stop;
import dev.clawauth.gateway.translate.StreamEvent.TextDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolArgumentsDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolCallStart;
import dev.clawauth.gateway.translate.UpstreamJson.ErrorBody;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads OpenAI Responses stream events (also the Codex backend's); reasoning items are skipped. */
final class ResponsesStreamReader implements StreamReader {
  record Event(String type, Response response, Integer outputIndex, Item item, String delta, String arguments,
      String code, String message) {}

  record Response(String id, Usage usage, IncompleteDetails incompleteDetails, ErrorBody error) {}

  record IncompleteDetails(String reason) {}

  record Item(String type, String callId, String name, String arguments) {}

  record Usage(long inputTokens, long outputTokens) {}

  private static final ObjectReader READER = UpstreamJson.reader(Event.class);

  /** Output index to tool call number, for the items that are function calls. */
  private final Map<Integer, Integer> tools = new HashMap<>();
  /** Tool calls whose arguments arrived as deltas; the others get theirs whole from the done event. */
  private final Set<Integer> argumentsSent = new HashSet<>();

  @Override
  public void read(SseParser.Event sse, Consumer<StreamEvent> out) throws IOException {
    Event e = READER.readValue(sse.data());
    String type = e.type() == null ? "" : e.type();
    switch (type) {
      case "response.created" -> out.accept(new Start(e.response() == null ? null : e.response().id(), TokenUsage.NONE));
      case "response.output_item.added" -> {
        if (e.item() != null && "function_call".equals(e.item().type()) && e.outputIndex() != null) {
          int n = tools.size();
          tools.put(e.outputIndex(), n);
          out.accept(new ToolCallStart(n, e.item().callId(), e.item().name()));
          arguments(n, e.item().arguments(), out);
        }
      }
      case "response.output_text.delta" -> {
        if (e.delta() != null && !e.delta().isEmpty()) {
          out.accept(new TextDelta(e.delta()));
        }
      }
      case "response.function_call_arguments.delta" -> {
        Integer n = e.outputIndex() == null ? null : tools.get(e.outputIndex());
        if (n != null) {
          arguments(n, e.delta(), out);
        }
      }
      case "response.function_call_arguments.done" -> wholeArguments(e.outputIndex(), e.arguments(), out);
      case "response.output_item.done" -> {
        if (e.item() != null && "function_call".equals(e.item().type())) {
          wholeArguments(e.outputIndex(), e.item().arguments(), out);
        }
      }
      case "response.completed", "response.incomplete" -> finished(e.response(), out);
      case "response.failed" -> out.accept(new Failure(e.response() == null || e.response().error() == null
          ? "the response failed" : e.response().error().describe()));
      case "error" -> out.accept(new Failure(new ErrorBody(null, e.code(), e.message()).describe()));
      default -> { }
    }
  }

  private void arguments(int tool, String json, Consumer<StreamEvent> out) {
    if (json != null && !json.isEmpty()) {
      argumentsSent.add(tool);
      out.accept(new ToolArgumentsDelta(tool, json));
    }
  }

  private void wholeArguments(Integer outputIndex, String json, Consumer<StreamEvent> out) {
    Integer n = outputIndex == null ? null : tools.get(outputIndex);
    if (n != null && !argumentsSent.contains(n)) {
      arguments(n, json, out);
    }
  }

  private void finished(Response r, Consumer<StreamEvent> out) {
    String incomplete = r == null || r.incompleteDetails() == null ? null : r.incompleteDetails().reason();
    StopReason reason;
    if ("max_output_tokens".equals(incomplete)) {
      reason = StopReason.MAX_TOKENS;
    } else if ("content_filter".equals(incomplete)) {
      reason = StopReason.REFUSAL;
    } else {
      reason = tools.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_USE;
    }
    if (r != null && r.usage() != null) {
      out.accept(new StreamEvent.Usage(new TokenUsage(r.usage().inputTokens(), r.usage().outputTokens())));
    }
    out.accept(new Stop(reason));
    out.accept(new End());
  }
}
