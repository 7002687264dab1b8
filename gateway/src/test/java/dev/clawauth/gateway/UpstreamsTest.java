package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.Upstreams.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire each provider speaks, and the upstream URI per wire and client API. */
class UpstreamsTest {
  @TempDir
  Path dir;

  private ClawConfig config(String providers) throws Exception {
    Path file = dir.resolve("openclaw.json");
    Files.writeString(file, "{ models: { providers: { " + providers + " } } }");
    return ClawConfig.load(file);
  }

  @Test
  void withoutApiTheWireFollowsTheProviderId() throws Exception {
    ClawConfig c = config("minimax: { baseUrl: 'https://api.minimax.io/anthropic', models: [] }");
    assertThat(Upstreams.wire(c, "anthropic")).contains(Wire.ANTHROPIC);
    assertThat(Upstreams.wire(c, "openai-codex")).contains(Wire.CODEX);
    assertThat(Upstreams.wire(c, "openai")).contains(Wire.OPENAI);
    assertThat(Upstreams.wire(c, "minimax")).contains(Wire.OPENAI);
    assertThat(Upstreams.wire(c, "anthropic").orElse(null) == Wire.ANTHROPIC).isTrue();
    assertThat(Upstreams.wire(c, "minimax").orElse(null) == Wire.ANTHROPIC).isFalse();
  }

  @Test
  void theConfiguredApiDecidesTheWireAndAnUnproxiedOrUnknownValueGivesNone() throws Exception {
    ClawConfig c = config("""
        minimax: { api: 'anthropic-messages' }, local: { api: 'openai-completions' },
        relay: { api: 'openai-responses' }, chatgpt: { api: 'openai-chatgpt-responses' },
        codex: { api: 'openai-codex-responses' }, anthropic: { api: 'openai-completions' },
        gemini: { api: 'google-generative-ai' }, typo: { api: 'anthropic' }, odd: { api: 7 }""");
    assertThat(Upstreams.wire(c, "minimax")).contains(Wire.ANTHROPIC);
    assertThat(Upstreams.wire(c, "local")).contains(Wire.OPENAI_COMPLETIONS);
    assertThat(Upstreams.wire(c, "relay")).contains(Wire.OPENAI_RESPONSES);
    assertThat(Upstreams.wire(c, "chatgpt")).contains(Wire.CODEX);
    assertThat(Upstreams.wire(c, "codex")).contains(Wire.CODEX);
    assertThat(Upstreams.wire(c, "anthropic")).contains(Wire.OPENAI_COMPLETIONS);
    assertThat(Upstreams.wire(c, "gemini")).isEmpty();
    assertThat(Upstreams.wire(c, "typo")).isEmpty();
    assertThat(Upstreams.wire(c, "odd")).isEmpty();
    assertThat(Upstreams.wire(c, "minimax").orElse(null) == Wire.ANTHROPIC).isTrue();
    assertThat(Upstreams.wire(c, "typo").orElse(null) == Wire.ANTHROPIC).isFalse();
  }

  @Test
  void eachWireServesItsOwnApisAtItsOwnPaths() {
    String b = "http://127.0.0.1:9";
    assertThat(Upstreams.uri(b + "/anthropic", Wire.ANTHROPIC, Api.ANTHROPIC_MESSAGES))
        .hasToString(b + "/anthropic/v1/messages");
    assertThat(Upstreams.uri(b + "/coding/v1/", Wire.ANTHROPIC, Api.ANTHROPIC_COUNT_TOKENS))
        .hasToString(b + "/coding/v1/messages/count_tokens");
    assertThat(Upstreams.uri(b, Wire.ANTHROPIC, Api.OPENAI_CHAT)).isNull();
    assertThat(Upstreams.uri(b + "/v1", Wire.OPENAI, Api.OPENAI_RESPONSES)).hasToString(b + "/v1/responses");
    assertThat(Upstreams.uri(b, Wire.OPENAI, Api.ANTHROPIC_MESSAGES)).isNull();
    assertThat(Upstreams.uri(b + "/v1", Wire.OPENAI_COMPLETIONS, Api.OPENAI_CHAT))
        .hasToString(b + "/v1/chat/completions");
    assertThat(Upstreams.uri(b + "/v1", Wire.OPENAI_COMPLETIONS, Api.OPENAI_RESPONSES)).isNull();
    assertThat(Upstreams.uri(b + "/v1", Wire.OPENAI_RESPONSES, Api.OPENAI_CHAT)).isNull();
    assertThat(Upstreams.uri(b + "/backend-api", Wire.CODEX, Api.OPENAI_RESPONSES))
        .hasToString(b + "/backend-api/codex/responses");
    // The same base on another wire is another cache entry, not the first wire's answer.
    assertThat(Upstreams.uri(b + "/same", Wire.OPENAI, Api.OPENAI_CHAT)).hasToString(b + "/same/v1/chat/completions");
    assertThat(Upstreams.uri(b + "/same", Wire.OPENAI_RESPONSES, Api.OPENAI_CHAT)).isNull();
    assertThat(Upstreams.uri(b + "/same", Wire.ANTHROPIC, Api.OPENAI_CHAT)).isNull();
  }
}
