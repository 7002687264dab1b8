package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.oauthProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.models.messages.MessageCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics as Prometheus reads it, and the per-profile gauges computed at scrape time. */
class MetricsGatewayTest {
  static final String KEY_A = FailoverGatewayTest.KEY_A;
  static final String KEY_B = FailoverGatewayTest.KEY_B;
  static final String ACCESS = "oauth-access-metrics-test";
  /** A sample line: name, optional {labels}, value (the text format 0.0.4, without timestamps). */
  static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? (\\S+)");
  static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  @TempDir
  java.nio.file.Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  /** One sample of the exposition. */
  record Sample(String name, Map<String, String> labels, double value) {}

  @Test
  void profileGaugesShowCooldownAndExpiryAndTheTextParses() throws Exception {
    long now = System.currentTimeMillis();
    long cooldownMs = 10 * 60_000L;
    f = new GatewayFixture(tmp);
    // oauthProfile expires an hour from now; anthropic:a cools down for ten minutes.
    f.store("{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKeyProfile("anthropic", KEY_A)
        + ",\"anthropic:b\":" + apiKeyProfile("anthropic", KEY_B)
        + ",\"openai-codex:default\":" + oauthProfile("openai-codex", ACCESS, "acct-1") + "},"
        + "\"order\":{\"anthropic\":[\"anthropic:a\",\"anthropic:b\"]},"
        + "\"usageStats\":{\"anthropic:a\":{\"cooldownUntil\":" + (now + cooldownMs) + "}}}");
    long written = System.currentTimeMillis();
    f.start();
    // One request, so that the request and upstream series have samples too.
    f.anthropic().messages().create(MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(16)
        .addUserMessage("hello").build());
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);

    long scrapeStart = System.currentTimeMillis();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url() + "/metrics"))
        .header("x-api-key", f.token()).build(), HttpResponse.BodyHandlers.ofString());
    long scrapeEnd = System.currentTimeMillis();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
    String text = r.body();
    // Ids and provider names only: never a credential.
    assertThat(text).doesNotContain(KEY_A).doesNotContain(KEY_B).doesNotContain(ACCESS)
        .doesNotContain(f.token());

    List<Sample> samples = parse(text);
    // The gauges are computed during the scrape: the bounds follow from when the store was written
    // (the OAuth profile's expires is set then, an hour ahead) and when the scrape ran.
    double expiry = value(samples, "clawauth_profile_expiry_seconds", "openai-codex:default");
    assertThat(expiry).isCloseTo(3600.0, within(300.0))
        .isBetween((now + 3_600_000L - scrapeEnd) / 1000.0 - 0.01, (written + 3_600_000L - scrapeStart) / 1000.0 + 0.01);
    assertThat(labels(samples, "clawauth_profile_expiry_seconds", "openai-codex:default"))
        .containsEntry("agent", "main").containsEntry("provider", "openai-codex");
    // API keys have no expiry.
    assertThat(samples).noneMatch(s -> s.name().equals("clawauth_profile_expiry_seconds")
        && s.labels().get("profile").startsWith("anthropic:"));

    assertThat(value(samples, "clawauth_profile_cooldown_seconds", "anthropic:a"))
        .isCloseTo(cooldownMs / 1000.0, within(300.0))
        .isBetween((now + cooldownMs - scrapeEnd) / 1000.0 - 0.01, (now + cooldownMs - scrapeStart) / 1000.0 + 0.01);
    assertThat(value(samples, "clawauth_profile_cooldown_seconds", "anthropic:b")).isZero();
    assertThat(value(samples, "clawauth_profile_cooldown_seconds", "openai-codex:default")).isZero();

    assertThat(samples).anyMatch(s -> s.name().equals("clawauth_gateway_requests_total")
        && s.labels().equals(Map.of("api", "anthropic_messages", "status", "200")) && s.value() == 1);
    assertThat(samples).anyMatch(s -> s.name().equals("clawauth_gateway_upstream_requests_total")
        && s.labels().equals(Map.of("provider", "anthropic", "profile", "anthropic:b", "status", "200"))
        && s.value() == 1);
    assertThat(samples).anyMatch(s -> s.name().equals("clawauth_gateway_upstream_latency_seconds_count")
        && s.labels().get("profile").equals("anthropic:b") && s.value() == 1);
  }

  /**
   * Parses the text format, failing on a line that is neither a comment nor a valid sample, and on
   * a sample whose metric lacks a HELP or a TYPE (a summary's _sum and _count belong to its name).
   */
  static List<Sample> parse(String text) {
    Map<String, String> types = new HashMap<>();
    Set<String> helps = new HashSet<>();
    List<Sample> samples = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# HELP ")) {
        assertThat(helps.add(line.split(" ", 4)[2])).as("one HELP per metric: %s", line).isTrue();
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        assertThat(p).as(line).hasSize(4);
        assertThat(p[3]).as(line).isIn("counter", "gauge", "summary", "histogram", "untyped");
        assertThat(types.put(p[2], p[3])).as("one TYPE per metric: %s", line).isNull();
        continue;
      }
      assertThat(line).as("a comment or a sample").doesNotStartWith("#");
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a valid sample line: %s", line).isTrue();
      String name = m.group(1);
      String family = types.containsKey(name) ? name : name.replaceAll("_(sum|count|bucket)$", "");
      assertThat(types).as("TYPE of %s", name).containsKey(family);
      assertThat(helps).as("HELP of %s", name).contains(family);
      if (!family.equals(name)) {
        assertThat(types.get(family)).as(name).isIn("summary", "histogram");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(name, labels, Double.parseDouble(m.group(4))));
    }
    assertThat(samples).isNotEmpty();
    return samples;
  }

  private static double value(List<Sample> samples, String name, String profile) {
    return samples.stream().filter(s -> s.name().equals(name) && profile.equals(s.labels().get("profile")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " for " + profile)).value();
  }

  private static Map<String, String> labels(List<Sample> samples, String name, String profile) {
    return samples.stream().filter(s -> s.name().equals(name) && profile.equals(s.labels().get("profile")))
        .findFirst().orElseThrow().labels();
  }
}
