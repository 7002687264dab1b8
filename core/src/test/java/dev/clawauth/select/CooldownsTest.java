package dev.clawauth.select;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import dev.clawauth.testing.StateFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cooldown and billing-disable arithmetic (spec selection-and-cooldown.md, "Recording outcomes"). */
final class CooldownsTest {
  private static final long NOW = 1_795_415_903_942L;
  private static final long MIN = 60_000L;
  private static final long HOUR = 60 * MIN;

  @TempDir
  Path dir;

  private StoreDocument doc() throws Exception {
    return new FileStore(StateFixture.write(dir.resolve("auth-profiles.json"),
        "{\"version\": 1, \"profiles\": {}, \"usageStats\": {\"p\": {\"futureStat\": 7}}}")).readStored();
  }

  private static Cooldowns cooldowns(String settings) throws Exception {
    return new Cooldowns(new ObjectMapper().readTree(settings));
  }

  @Test
  void cooldownsGrowOneFiveTwentyFiveMinutesThenAnHour() throws Exception {
    StoreDocument doc = doc();
    Cooldowns c = cooldowns("{}");
    List<Long> lengths = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lengths.add(c.recordFailure(doc, "anthropic", "p", FailureReason.RATE_LIMIT, NOW + i) - (NOW + i));
    }
    assertThat(lengths).containsExactly(MIN, 5 * MIN, 25 * MIN, HOUR, HOUR);
    assertThat(doc.usage("p").errorCount()).isEqualTo(5);
    assertThat(doc.usage("p").failureCounts()).containsEntry("rate_limit", 5);
  }

  @Test
  void billingDisablesGrowFiveTenTwentyHoursThenTheMaximum() throws Exception {
    StoreDocument doc = doc();
    Cooldowns c = cooldowns("{}");
    List<Long> lengths = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lengths.add(c.recordFailure(doc, "anthropic", "p", FailureReason.BILLING, NOW) - NOW);
    }
    assertThat(lengths).containsExactly(5 * HOUR, 10 * HOUR, 20 * HOUR, 24 * HOUR, 24 * HOUR);
    assertThat(doc.usage("p").disabledReason()).isEqualTo("billing");
  }

  @Test
  void billingBaseComesFromTheProviderSettingFirst() throws Exception {
    StoreDocument doc = doc();
    Cooldowns c = cooldowns("{\"billingBackoffHours\": 2, \"billingBackoffHoursByProvider\": {\"Anthropic\": 3}, \"billingMaxHours\": 4}");
    assertThat(c.recordFailure(doc, "anthropic", "p", FailureReason.BILLING, NOW) - NOW).isEqualTo(3 * HOUR);
    assertThat(c.recordFailure(doc, "anthropic", "p", FailureReason.BILLING, NOW) - NOW).isEqualTo(4 * HOUR);
    assertThat(c.recordFailure(doc, "openai", "q", FailureReason.BILLING, NOW) - NOW).isEqualTo(2 * HOUR);
  }

  @Test
  void failureOutsideTheWindowStartsCountingAgain() throws Exception {
    StoreDocument doc = doc();
    Cooldowns c = cooldowns("{\"failureWindowHours\": 1}");
    c.recordFailure(doc, "anthropic", "p", FailureReason.AUTH, NOW);
    c.recordFailure(doc, "anthropic", "p", FailureReason.AUTH, NOW + MIN);
    long until = c.recordFailure(doc, "anthropic", "p", FailureReason.TIMEOUT, NOW + 3 * HOUR);
    assertThat(until - (NOW + 3 * HOUR)).isEqualTo(MIN);
    assertThat(doc.usage("p").errorCount()).isEqualTo(1);
    assertThat(doc.usage("p").failureCounts()).containsExactly(java.util.Map.entry("timeout", 1));
  }

  @Test
  void successClearsCooldownDisableAndCountsKeepsUnknownFieldsAndRecordsLastGood() throws Exception {
    StoreDocument doc = doc();
    Cooldowns c = cooldowns("{}");
    c.recordFailure(doc, "anthropic", "p", FailureReason.BILLING, NOW);
    c.recordFailure(doc, "anthropic", "p", FailureReason.RATE_LIMIT, NOW);
    c.recordSuccess(doc, "anthropic", "p", NOW + 1);
    UsageStats u = doc.usage("p");
    assertThat(u.lastUsed()).isEqualTo(NOW + 1);
    assertThat(u.errorCount()).isZero();
    assertThat(u.cooldownUntil()).isZero();
    assertThat(u.disabledUntil()).isZero();
    assertThat(u.disabledReason()).isNull();
    assertThat(u.failureCounts()).isEmpty();
    assertThat(doc.lastGood("anthropic")).contains("p");
    assertThat(doc.toJson()).contains("\"futureStat\": 7").doesNotContain("cooldownReason");
  }

  @Test
  void aNonPositiveProviderBackoffIsOneMinuteAndWrongTypesAreDefaults() throws Exception {
    StoreDocument doc = doc();
    Cooldowns c = cooldowns("{\"billingBackoffHoursByProvider\": {\"anthropic\": -2},"
        + " \"billingBackoffHours\": \"2\", \"billingMaxHours\": 0}");
    assertThat(c.recordFailure(doc, "anthropic", "p", FailureReason.BILLING, NOW) - NOW).isEqualTo(MIN);
    assertThat(c.recordFailure(doc, "openai", "q", FailureReason.BILLING, NOW) - NOW).isEqualTo(5 * HOUR);
  }
}
