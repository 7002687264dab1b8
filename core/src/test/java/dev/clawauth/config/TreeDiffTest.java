package dev.clawauth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.Change.Append;
import dev.clawauth.config.Change.Index;
import dev.clawauth.config.Change.Key;
import dev.clawauth.config.Change.Put;
import dev.clawauth.config.Change.Remove;
import dev.clawauth.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diff is as deep and as small as the edit: only what changed is named. */
final class TreeDiffTest {
  private static JsonNode json(String json5) throws Exception {
    return Json.parseJson5(Path.of("test.json"), json5);
  }

  private static List<Change> diff(String before, String after) throws Exception {
    return TreeDiff.between(json(before), json(after));
  }

  @Test
  void objectsChangeMemberByMemberRemovalsFirst() throws Exception {
    assertThat(diff("{a: {x: 1, y: 2}, b: 1}", "{a: {x: 1, z: {q: 1}}, b: 2}")).containsExactly(
        new Remove(List.of(new Key("a"), new Key("y"))),
        new Put(List.of(new Key("a"), new Key("z")), json("{q: 1}")),
        new Put(List.of(new Key("b")), json("2")));
  }

  @Test
  void arraysChangeByElementByAppendByDroppingOrAsAWhole() throws Exception {
    assertThat(diff("{l: [1, 2, 3]}", "{l: [1, 5, 3]}"))
        .containsExactly(new Put(List.of(new Key("l"), new Index(1)), json("5")));
    assertThat(diff("{l: [1]}", "{l: [1, 2, 3]}"))
        .containsExactly(new Append(List.of(new Key("l")), List.of(json("2"), json("3"))));
    assertThat(diff("{l: [1, 2, 3, 4]}", "{l: [2, 4]}")).containsExactly(
        new Remove(List.of(new Key("l"), new Index(2))), new Remove(List.of(new Key("l"), new Index(0))));
    assertThat(diff("{l: [1, 2]}", "{l: []}")).containsExactly(
        new Remove(List.of(new Key("l"), new Index(1))), new Remove(List.of(new Key("l"), new Index(0))));
    assertThat(diff("{l: [1, 2]}", "{l: [3]}")).containsExactly(new Put(List.of(new Key("l")), json("[3]")));
    assertThat(diff("{l: [{a: 1}, {b: 1}]}", "{l: [{a: 2}, {b: 1}, 3]}")).containsExactly(
        new Put(List.of(new Key("l"), new Index(0), new Key("a")), json("2")),
        new Append(List.of(new Key("l")), List.of(json("3"))));
    assertThat(diff("{l: []}", "{l: [3]}")).containsExactly(new Put(List.of(new Key("l")), json("[3]")));
  }

  @Test
  void anArrayWhoseElementsMovedIsPutWhole() throws Exception {
    assertThat(diff("{l: ['a', 'b']}", "{l: ['b', 'a']}")).containsExactly(new Put(List.of(new Key("l")), json("['b', 'a']")));
    assertThat(diff("{l: ['a', 'b']}", "{l: ['x', 'a', 'b']}"))
        .containsExactly(new Put(List.of(new Key("l")), json("['x', 'a', 'b']")));
  }

  @Test
  void aValueOfAnotherTypeIsPutWhole() throws Exception {
    assertThat(diff("{a: {x: 1}}", "{a: [1]}")).containsExactly(new Put(List.of(new Key("a")), json("[1]")));
    assertThat(diff("{a: 'x'}", "{a: {primary: 'x'}}"))
        .containsExactly(new Put(List.of(new Key("a")), json("{primary: 'x'}")));
  }

  @Test
  void numbersAreTheirValueAndKeyOrderIsNoChange() throws Exception {
    assertThat(diff("{a: 1500.0, b: 1, c: 2}", "{c: 2, b: 1, a: 1500}")).isEmpty();
    assertThat(TreeDiff.same(json("{a: NaN}"), json("{a: NaN}"))).isTrue();
    assertThat(TreeDiff.same(json("{a: 1}"), json("{a: '1'}"))).isFalse();
  }
}
