package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static dev.clawauth.gateway.GatewayFixture.storeJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codex CLI ({@code codex exec}, the npm release named by {@code CODEX_BIN}) against the gateway as
 * a custom provider on the Responses wire, configured in its own {@code config.toml} as a user
 * would, on a config with aliases and an allow-list.
 */
class CodexGatewayTest {
  static final String OPENAI_KEY = "sk-proj-codex-test-key-00000000000000000000";
  static final String ANTHROPIC_KEY = "sk-ant-api03-codex-test-key-0000000000000000";

  @TempDir
  Path tmp;
  GatewayFixture f;
  ClientCli codex;

  @BeforeEach
  void start() throws Exception {
    codex = ClientCli.fromEnv("CODEX_BIN", "Codex CLI", "@openai/codex@0.171.0", "codex");
    f = new GatewayFixture(tmp);
    f.provider.fallback = s -> ClientAnswers.any();
    f.config(ClaudeCodeGatewayTest.MODELS).store(storeJson("openai:key", apiKeyProfile("openai", OPENAI_KEY),
        "anthropic:key", apiKeyProfile("anthropic", ANTHROPIC_KEY))).start();
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void execAnswersWithTheProvidersReplyThroughAConfigAlias() throws Exception {
    ClientCli.Result r = exec("GPT");

    assertThat(r.exit()).as(r::both).isZero();
    assertThat(r.stdout()).as(r::both).contains(ClientAnswers.TEXT);
    FakeProvider.Seen asked = ClientAnswers.reached(f.provider, "/v1/responses", r);
    assertThat(asked.body()).contains("\"model\":\"gpt-5\"").contains("\"stream\":true");
    assertThat(asked.credential()).isEqualTo(OPENAI_KEY);
    assertThat(r.stdout() + r.stderr() + f.log()).doesNotContain(OPENAI_KEY);
  }

  @Test
  void execOnAClaudeModelIsServedOnceTheWiresCross() throws Exception {
    String refusal = crossWireRefusal();
    Assumptions.assumeTrue(refusal == null, () -> "skipped until /v1/responses serves Anthropic models (the gateway"
        + " answers: " + refusal + ")");

    ClientCli.Result r = exec("Opus");

    assertThat(r.exit()).as(r::both).isZero();
    assertThat(r.stdout()).as(r::both).contains(ClientAnswers.TEXT);
    FakeProvider.Seen asked = ClientAnswers.reached(f.provider, "/v1/messages", r);
    assertThat(asked.body()).contains("\"model\":\"claude-opus-4-5\"");
    assertThat(asked.credential()).isEqualTo(ANTHROPIC_KEY);
  }

  /** The gateway's "does not speak" answer for a Claude model on /v1/responses, or null once it serves one. */
  private String crossWireRefusal() throws Exception {
    HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.url()
        + "/v1/responses")).header("authorization", "Bearer " + f.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"Opus\",\"input\":\"hi\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    f.provider.seen.clear();
    return probe.body().contains("does not speak") ? probe.body() : null;
  }

  /** {@code codex exec} with the gateway as its provider in a fresh CODEX_HOME, as the README shows it. */
  private ClientCli.Result exec(String model) throws Exception {
    Path home = tmp.resolve("codex-home");
    Path codexHome = home.resolve(".codex");
    Files.createDirectories(codexHome);
    Files.writeString(codexHome.resolve("config.toml"), "model = \"" + model + "\"\n"
        + "model_provider = \"clawauth\"\n\n"
        + "[model_providers.clawauth]\n"
        + "name = \"Clawauth gateway\"\n"
        + "base_url = \"" + f.url() + "/v1\"\n"
        + "env_key = \"CLAWAUTH_GATEWAY_TOKEN\"\n"
        + "wire_api = \"responses\"\n");
    return codex.run(home, tmp.resolve("project"), Map.of("CODEX_HOME", codexHome.toString(),
        "CLAWAUTH_GATEWAY_TOKEN", f.token()), "exec", "--skip-git-repo-check", "say hi");
  }
}
