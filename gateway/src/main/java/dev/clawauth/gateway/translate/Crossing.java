package dev.clawauth.gateway.translate;

/**
 * A call whose client speaks another dialect than its upstream: what the client asked for and
 * where the translated request goes. One per call; each upstream attempt reads its answer through
 * a new {@link #answer}. {@code usageChunk}: a Chat Completions client asked for the stream's
 * usage chunk ({@code stream_options.include_usage}).
 */
public record Crossing(Dialect client, Target target, boolean clientStreams, boolean usageChunk) {
  public Crossing(Dialect client, Target target, boolean clientStreams) {
    this(client, target, clientStreams, false);
  }

  /** Whether the upstream is asked for a stream. */
  public boolean upstreamStreams() {
    return target.streams(clientStreams);
  }

  /** The content type of the client's answer. */
  public String contentType() {
    return clientStreams ? "text/event-stream" : "application/json";
  }

  /**
   * Reads one upstream success answer for the client.
   *
   * @param upstreamSse whether the upstream answers with an event stream
   * @param limit the most bytes of a whole answer buffered before it is translated
   */
  public Answer answer(boolean upstreamSse, long limit) {
    return new Answer(this, upstreamSse, limit);
  }
}
