package dev.clawauth.gateway.translate;

import java.io.IOException;
import java.util.function.Consumer;

/** Turns one upstream dialect's server-sent events into {@link StreamEvent}s. */
interface StreamReader {
  /** Reads one event; throws when its data is not the JSON the dialect sends. */
  void read(SseParser.Event event, Consumer<StreamEvent> out) throws IOException;
}
