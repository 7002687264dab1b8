package dev.clawauth.gateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private static List<SseParser.Event> parse(String stream, int pieceSize) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    SseParser parser = new SseParser();
    List<SseParser.Event> events = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += pieceSize) {
      parser.feed(ByteBuffer.wrap(bytes, at, Math.min(pieceSize, bytes.length - at)), events::add);
    }
    return events;
  }

  @Test
  void lfCrlfAndCrLineEndsReadAlikeAtAnySplit() {
    String lf = "event: a\ndata: {\"x\":\"é👋\"}\n\ndata: two\n\n";
    List<SseParser.Event> expected = List.of(new SseParser.Event("a", "{\"x\":\"é👋\"}"), new SseParser.Event(null, "two"));
    for (String stream : List.of(lf, lf.replace("\n", "\r\n"), lf.replace("\n", "\r"))) {
      for (int size = 1; size <= stream.length(); size++) {
        assertThat(parse(stream, size)).as("pieces of " + size).isEqualTo(expected);
      }
    }
  }

  @Test
  void dataLinesJoinWithNewlinesAndCommentsAndUnknownFieldsAreSkipped() {
    String stream = ": OPENROUTER PROCESSING\n\nid: 7\nretry: 100\nevent:ping\ndata:first\ndata: second\ndata\n\n";
    assertThat(parse(stream, 3)).containsExactly(new SseParser.Event("ping", "first\nsecond\n"));
  }

  @Test
  void anEventWithoutDataIsNotDispatchedAndItsNameDoesNotLeakIntoTheNext() {
    assertThat(parse("event: lonely\n\ndata: x\n\n", 5)).containsExactly(new SseParser.Event(null, "x"));
  }

  @Test
  void anEventNotEndedByABlankLineIsNotDispatched() {
    assertThat(parse("data: whole\n\ndata: {\"cut", 4)).containsExactly(new SseParser.Event(null, "whole"));
  }
}
