package dev.clawauth.select;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The config's auth.cooldowns read once (spec selection-and-cooldown.md, "Recording outcomes"). */
final class CooldownSettingsTest {
  private static CooldownSettings read(String json) throws Exception {
    return CooldownSettings.from(new ObjectMapper().readTree(json));
  }

  @Test
  void defaultsWithoutSettings() throws Exception {
    for (CooldownSettings s : new CooldownSettings[] {
        CooldownSettings.from(MissingNode.getInstance()), CooldownSettings.from(null), read("{}"),
        read("null"), read("[1, 2]"), read("\"24h\""), CooldownSettings.DEFAULTS}) {
      assertThat(s.failureWindow()).isEqualTo(Duration.ofHours(24));
      assertThat(s.billingBackoff()).isEqualTo(Duration.ofHours(5));
      assertThat(s.billingMax()).isEqualTo(Duration.ofHours(24));
      assertThat(s.billingBackoffByProvider()).isEmpty();
      assertThat(s.billingBackoffFor("anthropic")).isEqualTo(Duration.ofHours(5));
    }
  }

  @Test
  void eachKeyInHoursFractionsIncluded() throws Exception {
    CooldownSettings s = read("{\"failureWindowHours\": 1.5, \"billingBackoffHours\": 2,"
        + " \"billingMaxHours\": 48, \"billingBackoffHoursByProvider\": {\"Anthropic\": 0.25, \"z.ai\": 7}}");
    assertThat(s.failureWindow()).isEqualTo(Duration.ofMinutes(90));
    assertThat(s.billingBackoff()).isEqualTo(Duration.ofHours(2));
    assertThat(s.billingMax()).isEqualTo(Duration.ofHours(48));
    assertThat(s.billingBackoffByProvider()).containsOnlyKeys("Anthropic", "z.ai");
    assertThat(s.billingBackoffFor("anthropic")).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.billingBackoffFor("zai")).isEqualTo(Duration.ofHours(7));
    assertThat(s.billingBackoffFor("openai")).isEqualTo(Duration.ofHours(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"12\"", "\"12h\"", "0", "-3", "true", "null", "{}", "[12]"})
  void aWrongOrNonPositiveValueIsTheDefault(String value) throws Exception {
    CooldownSettings s = read("{\"failureWindowHours\": " + value + ", \"billingBackoffHours\": " + value
        + ", \"billingMaxHours\": " + value + "}");
    assertThat(s).isEqualTo(CooldownSettings.DEFAULTS);
  }

  @Test
  void aProviderEntryCountsWhenNumericWhateverItsSign() throws Exception {
    CooldownSettings s = read("{\"billingBackoffHoursByProvider\": {\"anthropic\": \"3\", \"openai\": -1,"
        + " \"groq\": 0, \"xai\": null, \"google\": [2]}}");
    assertThat(s.billingBackoffByProvider()).containsOnlyKeys("openai", "groq");
    assertThat(s.billingBackoffFor("anthropic")).isEqualTo(Duration.ofHours(5));
    assertThat(s.billingBackoffFor("openai")).isEqualTo(Duration.ofHours(-1));
    assertThat(s.billingBackoffFor("groq")).isEqualTo(Duration.ZERO);
    assertThat(read("{\"billingBackoffHoursByProvider\": [1]}").billingBackoffByProvider()).isEmpty();
    assertThat(read("{\"billingBackoffHoursByProvider\": 3}").billingBackoffByProvider()).isEmpty();
  }

  @Test
  void theFirstEntryNamingTheProviderWins() throws Exception {
    CooldownSettings s = read("{\"billingBackoffHoursByProvider\": {\"Anthropic\": 1, \"anthropic\": 2}}");
    assertThat(s.billingBackoffFor("anthropic")).isEqualTo(Duration.ofHours(1));
  }
}
