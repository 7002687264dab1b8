package dev.clawauth.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clawauth.AgentContext;
import dev.clawauth.credentials.ProfileWriter.OnConflict;
import dev.clawauth.credentials.ProfileWriter.Outcome;
import dev.clawauth.state.Environment;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ProfileWriterTest {
  @TempDir
  Path home;
  AgentContext ctx;

  @BeforeEach
  void setUp() throws Exception {
    Environment env = new Environment(Map.of("OPENCLAW_STATE_DIR", home.resolve("state").toString()), home, home);
    ctx = AgentContext.open(env, null, Clock.systemUTC());
  }

  private static Credential.ApiKey key(String v) {
    return new Credential.ApiKey("anthropic", new Secret(v), null);
  }

  @Test
  void createsThenLeavesTheSameSecretAlone() throws Exception {
    var first = ProfileWriter.save(ctx, "anthropic:default", key("k1"), OnConflict.REFUSE);
    assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(first.configChanged()).isTrue();
    byte[] store = Files.readAllBytes(ctx.store().path());
    byte[] config = Files.readAllBytes(ctx.paths().configPath());
    var again = ProfileWriter.save(ctx, "anthropic:default", key("k1"), OnConflict.REFUSE);
    assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(again.configChanged()).isFalse();
    assertThat(Files.readAllBytes(ctx.store().path())).isEqualTo(store);
    assertThat(Files.readAllBytes(ctx.paths().configPath())).isEqualTo(config);
  }

  @Test
  void refusesADifferentSecretUnlessToldToReplace() throws Exception {
    ProfileWriter.save(ctx, "anthropic:default", key("k1"), OnConflict.REFUSE);
    byte[] store = Files.readAllBytes(ctx.store().path());
    assertThatThrownBy(() -> ProfileWriter.save(ctx, "anthropic:default", key("k2-different"), OnConflict.REFUSE))
        .isInstanceOf(ProfileConflictException.class)
        .hasMessageContaining("already holds a different api_key").hasMessageNotContaining("k2-different");
    assertThat(Files.readAllBytes(ctx.store().path())).isEqualTo(store);
    var replaced = ProfileWriter.save(ctx, "anthropic:default", key("k2-different"), OnConflict.REPLACE);
    assertThat(replaced.outcome()).isEqualTo(Outcome.REPLACED);
    assertThat(ctx.store().read().profile("anthropic:default").orElseThrow()).isEqualTo(key("k2-different"));
  }

  @Test
  void sameTokenWithANewExpiryIsAnUpdateNotAConflict() throws Exception {
    var t1 = new Credential.Token("anthropic", new Secret("tok"), 1000, null);
    var t2 = new Credential.Token("anthropic", new Secret("tok"), 2000, null);
    ProfileWriter.save(ctx, "anthropic:manual", t1, OnConflict.REFUSE);
    assertThat(ProfileWriter.save(ctx, "anthropic:manual", t2, OnConflict.REFUSE).outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(ctx.store().read().profile("anthropic:manual").orElseThrow()).isEqualTo(t2);
    assertThat(ctx.config().authProfiles()).isEmpty();
    assertThat(dev.clawauth.config.ClawConfig.load(ctx.paths().configPath()).authProfiles().get("anthropic:manual").mode())
        .isEqualTo("token");
  }
}
