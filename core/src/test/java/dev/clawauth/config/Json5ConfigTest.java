package dev.clawauth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.json.JsonFileException;
import dev.clawauth.testing.StateFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** openclaw.json is JSON5 as people write it by hand; errors point at the spot. */
final class Json5ConfigTest {
  @TempDir
  Path dir;

  @Test
  void commentsTrailingCommasUnquotedKeysAndSingleQuotesParse() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), """
        // written by hand
        {
          /* the model */
          agents: {
            defaults: {
              model: { primary: 'openai/gpt-5', fallbacks: ['anthropic/claude-opus-4-5',], },
            },
            list: [ { id: 'work', default: true, }, ],
          },
          auth: { order: { 'anthropic': ["anthropic:work", 'anthropic:default',] } },
          env: { shellEnv: { enabled: true, timeoutMs: 1500, }, },
        }
        """);
    ClawConfig config = ClawConfig.load(file);
    assertThat(config.exists()).isTrue();
    assertThat(config.defaultAgentId()).isEqualTo("work");
    assertThat(config.defaultModel("work")).isEqualTo("openai/gpt-5");
    assertThat(config.fallbacks("work")).containsExactly("anthropic/claude-opus-4-5");
    assertThat(config.authOrder("anthropic")).contains(List.of("anthropic:work", "anthropic:default"));
    assertThat(config.shellEnvEnabled()).isTrue();
    assertThat(config.shellEnvTimeoutMs()).contains(1500L);
    assertThat(config.providersInUse("work")).containsExactly("openai", "anthropic");
  }

  @Test
  void missingConfigReadsAsEmptyWithTheDefaultModel() throws Exception {
    ClawConfig config = ClawConfig.load(dir.resolve("openclaw.json"));
    assertThat(config.exists()).isFalse();
    assertThat(config.defaultModel("main")).isEqualTo("anthropic/claude-opus-4-5");
    assertThat(config.providersInUse("main")).containsExactly("anthropic");
  }

  @Test
  void syntaxErrorNamesFileLineAndColumn() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), "{\n  agents: {\n    list: [ { id: 'a' } }\n}\n");
    assertThatThrownBy(() -> ClawConfig.load(file))
        .isInstanceOfSatisfying(JsonFileException.class, e -> {
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(25);
          assertThat(e.getMessage()).startsWith(file + ":3:25: ").doesNotContain("\n")
              .contains("will not overwrite");
        });
  }

  @Test
  void emptyAndNonObjectConfigsAreErrorsNotEmptyConfigs() throws Exception {
    Path empty = StateFixture.write(dir.resolve("empty.json"), "  \n");
    assertThatThrownBy(() -> ClawConfig.load(empty)).isInstanceOf(JsonFileException.class)
        .hasMessageContaining(empty + ":1:1");
    Path array = StateFixture.write(dir.resolve("array.json"), "[1]\n");
    assertThatThrownBy(() -> ClawConfig.load(array)).isInstanceOf(JsonFileException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void imageModelAndItsFallbacksCountAsProvidersInUse() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), """
        {agents: {defaults: {model: 'anthropic/claude-opus-4-5',
          imageModel: {primary: 'google/gemini-3', fallbacks: ['openrouter/x/y']}}}}
        """);
    assertThat(ClawConfig.load(file).providersInUse("main"))
        .containsExactly("anthropic", "google", "openrouter");
  }

  @Test
  void providerApiIsReadUnderTheNormalisedProviderIdAndAWrongValueIsKeptToBeNamed() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), """
        {models: {providers: {
          minimax: {baseUrl: 'https://api.minimax.io/anthropic', api: ' anthropic-messages ', models: []},
          zai: {baseUrl: 'https://api.z.ai/api/anthropic', api: 'anthropic-messages', models: []},
          odd: {baseUrl: 'https://example.test', api: 7, models: []},
          plain: {baseUrl: 'https://example.test', api: null, models: []},
        }}}
        """);
    ClawConfig config = ClawConfig.load(file);
    assertThat(config.providerApi("MiniMax")).contains("anthropic-messages");
    assertThat(config.providerApi("z.ai")).contains("anthropic-messages");
    assertThat(config.providerApi("odd")).contains("7");
    assertThat(config.providerApi("plain")).isEmpty();
    assertThat(config.providerApi("openai")).isEmpty();
  }

  @Test
  void aModelsOwnApiComesBeforeItsProvidersAndNamesItsKey() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), """
        {models: {providers: {
          MiniMax: {api: 'openai-completions', models: [
            {id: 'plain'}, {id: ' own ', api: 'anthropic-messages'}, {id: 'nulled', api: null}]},
          bare: {models: [{id: 'm'}]},
        }}}
        """);
    ClawConfig config = ClawConfig.load(file);
    assertThat(config.modelApi("minimax", "own")).contains(
        new ClawConfig.ApiSetting("anthropic-messages", "models.providers.minimax.models[1].api"));
    assertThat(config.modelApi("minimax", "plain")).contains(
        new ClawConfig.ApiSetting("openai-completions", "models.providers.minimax.api"));
    assertThat(config.modelApi("minimax", "nulled").map(ClawConfig.ApiSetting::value)).contains("openai-completions");
    assertThat(config.modelApi("minimax", "unlisted").map(ClawConfig.ApiSetting::value)).contains("openai-completions");
    assertThat(config.modelApi("bare", "m")).isEmpty();
  }

  @Test
  void byteOrderMarkIsWhitespaceAsJson5SaysAndLineNumbersStayRight() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), "\uFEFF{agents: {defaults: {model: 'openai/gpt-5'}}}\n");
    assertThat(ClawConfig.load(file).defaultModel("main")).isEqualTo("openai/gpt-5");
    Path bad = StateFixture.write(dir.resolve("bad.json"), "\uFEFF{\n  a: ]\n}\n");
    assertThatThrownBy(() -> ClawConfig.load(bad)).hasMessageStartingWith(bad + ":2:6: ");
  }

  @Test
  void providerApiKeyIsAStringOrAnEnvReferenceObjectAndOtherSourcesAreNotRead() throws Exception {
    Path file = StateFixture.write(dir.resolve("openclaw.json"), """
        {models: {providers: {
          minimax: {apiKey: ' ${MINIMAX_API_KEY} ', models: []},
          local: {apiKey: {source: 'env', provider: 'default', id: 'LOCAL_KEY'}, models: []},
          vault: {apiKey: {source: 'file', provider: 'f', id: '/run/key'}, models: []},
          blank: {apiKey: '  ', models: []},
        }}}
        """);
    ClawConfig c = ClawConfig.load(file);
    assertThat(c.providerApiKey("minimax")).contains("${MINIMAX_API_KEY}");
    assertThat(c.providerApiKey("local")).contains("${LOCAL_KEY}");
    assertThat(c.providerApiKey("vault")).isEmpty();
    assertThat(c.providerApiKey("blank")).isEmpty();
    assertThat(c.providerApiKey("nobody")).isEmpty();
  }
}
