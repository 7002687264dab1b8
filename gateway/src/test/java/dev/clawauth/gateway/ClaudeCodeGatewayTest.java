package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code ({@code claude -p}, the npm release named by {@code CLAUDE_BIN}) against the gateway,
 * given only {@code ANTHROPIC_BASE_URL} and the gateway token, on a config with aliases and an
 * allow-list that does not hold the model Claude Code picks by itself.
 */
class ClaudeCodeGatewayTest {
  static final String KEY = "sk-ant-api03-claude-code-test-key-000000000000";
  /** Aliases and an allow-list, as every config of OpenClaw's documents has them. */
  static final String MODELS = "agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, models: {\n"
      + "  'anthropic/claude-opus-4-5': { alias: 'Opus' },\n"
      + "  'anthropic/claude-haiku-4-5': { alias: 'Fast' },\n"
      + "  'openai/gpt-5': { alias: 'GPT' } } } },";

  @TempDir
  Path tmp;
  GatewayFixture f;
  ClientCli claude;

  @BeforeEach
  void start() throws Exception {
    claude = ClientCli.fromEnv("CLAUDE_BIN", "Claude Code", "@anthropic-ai/claude-code@2.1.332", "claude");
    f = new GatewayFixture(tmp);
    f.provider.fallback = s -> ClientAnswers.any();
    f.config(MODELS).store(storeJson("anthropic:key", apiKeyProfile("anthropic", KEY),
        "openai:key", apiKeyProfile("openai", "sk-openai-claude-code-test-000000"))).start();
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void printModeAnswersWithTheProvidersReplyForAModelOutsideTheAllowList() throws Exception {
    ClientCli.Result r = run(Map.of("ANTHROPIC_API_KEY", f.token()), "say hi");

    assertThat(r.exit()).as(r::both).isZero();
    assertThat(r.stdout()).as(r::both).contains(ClientAnswers.TEXT);
    FakeProvider.Seen asked = ClientAnswers.reached(f.provider, "/v1/messages", r);
    // Claude Code's own default model, which agents.defaults.models does not list.
    assertThat(asked.body()).doesNotContain("\"model\":\"claude-opus-4-5\"").contains("\"model\":\"claude-");
    assertThat(asked.credential()).isEqualTo(KEY);
    assertThat(asked.header("anthropic-beta")).contains("claude-code-20250219");
    assertThat(f.provider.seen).allSatisfy(s -> assertThat(s.credential()).isEqualTo(KEY));
    assertThat(r.stdout() + r.stderr() + f.log()).doesNotContain(KEY);
  }

  @Test
  void aBearerTokenAndAConfigAliasAsTheModelReachTheAliasedModel() throws Exception {
    ClientCli.Result r = run(Map.of("ANTHROPIC_AUTH_TOKEN", f.token(), "ANTHROPIC_MODEL", "Fast"), "say hi");

    assertThat(r.exit()).as(r::both).isZero();
    assertThat(r.stdout()).as(r::both).contains(ClientAnswers.TEXT);
    assertThat(f.provider.seen).isNotEmpty()
        .allSatisfy(s -> assertThat(s.body()).contains("\"model\":\"claude-haiku-4-5\""));
  }

  @Test
  void anOpenAiModelIsServedOnceTheWiresCross() throws Exception {
    String refusal = crossWireRefusal();
    Assumptions.assumeTrue(refusal == null, () -> "skipped until /v1/messages serves OpenAI models (the gateway"
        + " answers: " + refusal + ")");

    ClientCli.Result r = run(Map.of("ANTHROPIC_API_KEY", f.token(), "ANTHROPIC_MODEL", "GPT"), "say hi");

    assertThat(r.exit()).as(r::both).isZero();
    assertThat(r.stdout()).as(r::both).contains("Hello").contains("from fake");
    assertThat(f.provider.seen).isNotEmpty().allSatisfy(s -> assertThat(s.path()).startsWith("/v1/")
        .doesNotStartWith("/v1/messages"));
  }

  /** The gateway's "does not speak" answer for an OpenAI model on /v1/messages, or null once it serves one. */
  private String crossWireRefusal() throws Exception {
    HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url()
        + "/v1/messages")).header("x-api-key", f.token()).header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"GPT\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    f.provider.seen.clear();
    return probe.body().contains("does not speak") ? probe.body() : null;
  }

  private ClientCli.Result run(Map<String, String> auth, String prompt) throws Exception {
    Map<String, String> env = new HashMap<>(auth);
    env.put("ANTHROPIC_BASE_URL", f.url());
    env.put("DISABLE_TELEMETRY", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    return claude.run(tmp.resolve("claude-home"), tmp.resolve("project"), env, "-p", prompt);
  }
}
