package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The client bytes a writer has produced and not yet handed over; events are written straight as JSON. */
final class SseSink {
  /** Writes one JSON value. */
  interface Json {
    void write(JsonGenerator g) throws IOException;
  }

  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .rootValueSeparator((String) null)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
  /** One generator for the whole stream, flushed after each event; making one per event cost more than the event. */
  private final JsonGenerator generator = generator(out);

  /** An event with an {@code event:} line, or a bare {@code data:} line when {@code name} is null. */
  void event(String name, Json data) {
    if (name != null) {
      ascii("event: ");
      ascii(name);
      ascii("\n");
    }
    ascii("data: ");
    try {
      data.write(generator);
      generator.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ascii("\n\n");
  }

  void raw(byte[] bytes) {
    out.writeBytes(bytes);
  }

  void ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** The bytes since the last call. */
  byte[] drain() {
    byte[] b = out.toByteArray();
    out.reset();
    return b;
  }

  /** One JSON value as bytes, for whole bodies. */
  static byte[] json(Json value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
    write(b, value);
    return b.toByteArray();
  }

  private static void write(ByteArrayOutputStream target, Json value) {
    try (JsonGenerator g = generator(target)) {
      value.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonGenerator generator(ByteArrayOutputStream target) {
    try {
      return FACTORY.createGenerator(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
