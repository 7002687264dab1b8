package dev.clawauth.gateway.translate;

import dev.clawauth.gateway.translate.StreamEvent.Start;
import dev.clawauth.gateway.translate.StreamEvent.Stop;
import dev.clawauth.gateway.translate.StreamEvent.TextDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolArgumentsDelta;
import dev.clawauth.gateway.translate.StreamEvent.ToolCallStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gathers stream events into a {@link Reply}. */
final class ReplyBuilder {
  private sealed interface Open {}

  private record OpenText(StringBuilder text) implements Open {}

  private record OpenCall(String id, String name, StringBuilder arguments) implements Open {}

  private final List<Open> parts = new ArrayList<>();
  private final Map<Integer, OpenCall> calls = new HashMap<>();
  private String id;
  private StopReason stop = StopReason.END_TURN;
  private TokenUsage usage = TokenUsage.NONE;

  /** Takes one event; returns the output position of the part it touched, or -1. */
  int accept(StreamEvent e) {
    switch (e) {
      case Start s -> id = s.id();
      case TextDelta t -> {
        if (!(last() instanceof OpenText)) {
          parts.add(new OpenText(new StringBuilder()));
        }
        ((OpenText) last()).text().append(t.text());
        return parts.size() - 1;
      }
      case ToolCallStart c -> {
        OpenCall call = new OpenCall(c.id(), c.name(), new StringBuilder());
        calls.put(c.index(), call);
        parts.add(call);
        return parts.size() - 1;
      }
      case ToolArgumentsDelta a -> {
        OpenCall call = calls.get(a.index());
        if (call != null) {
          call.arguments().append(a.json());
          return parts.indexOf(call);
        }
      }
      case Stop s -> stop = s.reason();
      case StreamEvent.Usage u -> usage = u.usage();
      case StreamEvent.End x -> { }
      case StreamEvent.Failure f -> { }
    }
    return -1;
  }

  private Open last() {
    return parts.isEmpty() ? null : parts.getLast();
  }

  /** The upstream's answer id, or null when it sent none. */
  String id() {
    return id;
  }

  /** Part {@code position} as gathered so far. */
  Reply.Part part(int position) {
    return done(parts.get(position));
  }

  private static Reply.Part done(Open p) {
    return switch (p) {
      case OpenText t -> new Reply.Text(t.text().toString());
      case OpenCall c -> new Reply.ToolCall(c.id(), c.name(), c.arguments().toString());
    };
  }

  int size() {
    return parts.size();
  }

  Reply build() {
    List<Reply.Part> done = new ArrayList<>(parts.size());
    for (Open p : parts) {
      done.add(done(p));
    }
    return new Reply(id(), done, stop, usage);
  }
}
