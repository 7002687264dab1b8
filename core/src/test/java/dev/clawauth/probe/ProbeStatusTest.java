package dev.clawauth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ProbeStatusTest {
  @Test
  void httpAnswersMapToTheFailureClasses() {
    assertThat(ProbeStatus.of(401, "")).isEqualTo(ProbeStatus.AUTH);
    assertThat(ProbeStatus.of(403, "")).isEqualTo(ProbeStatus.AUTH);
    assertThat(ProbeStatus.of(429, "")).isEqualTo(ProbeStatus.RATE_LIMIT);
    assertThat(ProbeStatus.of(529, "{\"type\":\"overloaded_error\"}")).isEqualTo(ProbeStatus.RATE_LIMIT);
    assertThat(ProbeStatus.of(402, "")).isEqualTo(ProbeStatus.BILLING);
    assertThat(ProbeStatus.of(400, "Your credit balance is too low")).isEqualTo(ProbeStatus.BILLING);
    assertThat(ProbeStatus.of(408, "")).isEqualTo(ProbeStatus.TIMEOUT);
    assertThat(ProbeStatus.of(404, "not found")).isEqualTo(ProbeStatus.ERROR);
    assertThat(ProbeStatus.of(500, "")).isEqualTo(ProbeStatus.ERROR);
  }

  @Test
  void onlyRealFailuresCountAsFailed() {
    assertThat(ProbeReport.failed(ProbeStatus.OK)).isFalse();
    assertThat(ProbeReport.failed(ProbeStatus.SKIPPED)).isFalse();
    assertThat(ProbeReport.failed(ProbeStatus.UNSUPPORTED)).isFalse();
    assertThat(ProbeReport.failed(ProbeStatus.NETWORK)).isTrue();
  }
}
