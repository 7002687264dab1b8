package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

final class JwtTest {
  private static String jwt(String payload) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  @Test
  void readsTheChatGptAccountClaim() {
    String t = jwt("{\"https://api.openai.com/auth\":{\"chatgpt_account_id\":\"acct-1\"},\"email\":\"a@b.c\"}");
    assertThat(OpenAICodexProvider.accountId(t)).isEqualTo("acct-1");
    assertThat(Jwt.text(t, "email")).isEqualTo("a@b.c");
  }

  @Test
  void missingClaim_orNotAJwt_givesNull() {
    assertThat(OpenAICodexProvider.accountId(jwt("{\"sub\":\"x\"}"))).isNull();
    assertThat(OpenAICodexProvider.accountId("not-a-jwt")).isNull();
    assertThat(OpenAICodexProvider.accountId("a.%%%.c")).isNull();
    assertThat(OpenAICodexProvider.accountId(null)).isNull();
    assertThat(Jwt.claims("a." + Base64.getUrlEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8)) + ".c")
        .isMissingNode()).isTrue();
  }
}
