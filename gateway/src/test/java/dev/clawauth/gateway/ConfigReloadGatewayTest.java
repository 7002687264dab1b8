package dev.clawauth.gateway;

import static dev.clawauth.gateway.GatewayFixture.apiKeyProfile;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.MessageCreateParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file edited while the gateway runs: used within a second, a broken edit never used. */
class ConfigReloadGatewayTest {
  static final String KEY_A = SessionsGatewayTest.KEY_A;
  static final String KEY_B = SessionsGatewayTest.KEY_B;

  @TempDir
  Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void anEditedAliasAndOrderApplyWithinASecondAndABrokenEditKeepsTheLastGoodConfig() throws Exception {
    f = new GatewayFixture(tmp);
    f.config("auth: { order: { anthropic: ['anthropic:a', 'anthropic:b'] } },")
        .store("{\"version\":1,\"profiles\":{\"anthropic:a\":" + apiKeyProfile("anthropic", KEY_A)
            + ",\"anthropic:b\":" + apiKeyProfile("anthropic", KEY_B) + "}}")
        .start();
    ask("Fast");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_A);
    assertThat(f.provider.last().body()).contains("\"model\":\"Fast\"");

    // As `openclaw config set` or an editor would: a new alias and the other profile first.
    f.config("auth: { order: { anthropic: ['anthropic:b', 'anthropic:a'] } },\n"
        + "agents: { defaults: { models: { 'anthropic/claude-haiku-4-5': { alias: 'Fast' } } } },");
    assertThat(eventually(() -> {
      ask("Fast");
      return f.provider.last().credential().equals(KEY_B);
    })).as("the edited order is used").isTrue();
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-haiku-4-5\"");
    assertThat(f.log()).contains("openclaw.json changed");

    // A half-written edit: reported with its line and column, never used, never written.
    Path config = f.state.resolve("openclaw.json");
    String broken = "{\n  auth: { order: { anthropic: ['anthropic:a'] } \n";
    Files.writeString(config, broken);
    assertThat(eventually(() -> f.log().contains("still using the config read before"))).as(f::log).isTrue();
    assertThat(f.log()).contains(config + ":3:1");
    ask("Fast");
    assertThat(f.provider.last().credential()).isEqualTo(KEY_B);
    assertThat(f.provider.last().body()).contains("\"model\":\"claude-haiku-4-5\"");
    assertThat(Files.readString(config)).isEqualTo(broken);

    // Fixed: used again.
    f.config("auth: { order: { anthropic: ['anthropic:a', 'anthropic:b'] } },");
    assertThat(eventually(() -> {
      ask("Fast");
      return f.provider.last().credential().equals(KEY_A);
    })).isTrue();
    assertThat(f.provider.last().body()).contains("\"model\":\"Fast\"");
    assertThat(f.log()).doesNotContain(KEY_A).doesNotContain(KEY_B);
  }

  private void ask(String model) {
    f.anthropic().messages().create(MessageCreateParams.builder().model(model).maxTokens(16)
        .addUserMessage("hi").build());
  }

  /** Polls for up to 3 s: the gateway looks at the config file every 500 ms. */
  private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.get();
  }
}
