package dev.clawauth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.config.Json5Spans.Container;
import dev.clawauth.config.Json5Spans.Item;
import org.junit.jupiter.api.Test;

/** The locator finds keys, values and commas of hand-written JSON5, and says so when it cannot follow the text. */
final class Json5SpansTest {
  @Test
  void keysAreDecodedAndValuesAndCommasAreFoundAroundComments() {
    String text = "// head\n{ a /* k */ : 1, 'b\\'c': \"x\\ny\" /* v */ , \"\\u0041\": [ 1, # h\n 2, ], d: {}, }";
    Container root = Json5Spans.parse(text);
    assertThat(root.items()).extracting(Item::key).containsExactly("a", "b'c", "A", "d");
    Item b = root.items().get(1);
    assertThat(b.keyQuoted()).isTrue();
    assertThat(text.substring(b.value().start(), b.value().end())).isEqualTo("\"x\\ny\"");
    assertThat(text.charAt(b.comma())).isEqualTo(',');
    Container array = (Container) root.items().get(2).value();
    assertThat(array.array()).isTrue();
    assertThat(array.items()).hasSize(2);
    assertThat(array.items().get(1).comma()).isPositive();
    assertThat(root.items().getLast().comma()).isPositive();
    assertThat(text.substring(root.start(), root.end())).startsWith("{ a").endsWith("}");
  }

  @Test
  void wordsEndAtCommentsAndPunctuation() {
    String text = "{a: -Infinity// c\n, b: .5# c\n, c: +1/* c */}";
    Container root = Json5Spans.parse(text);
    assertThat(root.items()).extracting(i -> text.substring(i.value().start(), i.value().end()))
        .containsExactly("-Infinity", ".5", "+1");
  }

  @Test
  void restOfLineSkipsCommentsAndStopsAtTokens() {
    String text = "a, // c\nb /* x\n y */ , c\n";
    assertThat(Json5Spans.restOfLine(text, 2)).isEqualTo(7);
    assertThat(Json5Spans.restOfLine(text, 9)).isEqualTo(-1);
    assertThat(Json5Spans.nextLine("x\r\ny", 1)).isEqualTo(3);
  }

  @Test
  void textItCannotFollowIsReported() {
    assertThatThrownBy(() -> Json5Spans.parse("[1]")).isInstanceOf(Json5Spans.Unreadable.class);
    assertThatThrownBy(() -> Json5Spans.parse("{a: 'x}")).isInstanceOf(Json5Spans.Unreadable.class);
    assertThatThrownBy(() -> Json5Spans.parse("{a: 1 /* x }")).isInstanceOf(Json5Spans.Unreadable.class);
    assertThatThrownBy(() -> Json5Spans.parse("{a#b: 1}")).isInstanceOf(Json5Spans.Unreadable.class);
    assertThatThrownBy(() -> Json5Spans.parse("{a: 1} x")).isInstanceOf(Json5Spans.Unreadable.class);
  }
}
