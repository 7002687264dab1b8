package dev.clawauth.hints;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Remaining time as models status prints it (spec store.md, "What models status shows"). */
final class DurationsTest {
  @ParameterizedTest(name = "{0} ms -> {1}")
  @CsvSource({
      "-5000, 0m",
      "0, 0m",
      "1, 1m",
      "29000, 1m",
      "893014, 15m",
      "3569000, 59m",
      "3570000, 1h",
      "43181283, 12h",
      "7193014, 2h",
      "170999999, 47h",
      "171000000, 2d",
      "2591993015, 30d",
  })
  void remainingRoundsToMinutesHoursOrDays(long ms, String shown) {
    assertThat(Durations.remaining(ms)).isEqualTo(shown);
  }
}
