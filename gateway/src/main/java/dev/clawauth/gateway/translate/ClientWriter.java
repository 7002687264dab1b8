package dev.clawauth.gateway.translate;

/** Turns {@link StreamEvent}s into one client dialect's bytes. */
interface ClientWriter {
  /** Takes the next event; nothing after an {@code End} or a {@code Failure} is written. */
  void accept(StreamEvent event);

  /** The client bytes produced since the last call. */
  byte[] drain();
}
