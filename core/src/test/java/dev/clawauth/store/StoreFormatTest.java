package dev.clawauth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** auth-profiles.json is read and written in the exact format of the 2026.1 line (spec store.md). */
final class StoreFormatTest {
  @TempDir
  Path dir;

  static String example(String name) throws Exception {
    try (InputStream in = StoreFormatTest.class.getResourceAsStream("/spec-examples/" + name)) {
      assertThat(in).as("spec example " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private FileStore storeWith(String text) throws Exception {
    return new FileStore(StateFixture.write(dir.resolve("agent/auth-profiles.json"), text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"auth-profiles.after-onboard.json", "auth-profiles.after-order-set.json",
      "auth-profiles.after-paste-token.json", "auth-profiles.mixed.json"})
  void specExampleIsWrittenBackByteForByte(String name) throws Exception {
    String text = example(name);
    assertThat(storeWith(text).readStored().toJson()).isEqualTo(text);
  }

  @Test
  void orderSetOnThePasteTokenStoreWritesExactlyTheFileThe2026CliWrote() throws Exception {
    FileStore store = storeWith(example("auth-profiles.after-paste-token.json"));
    store.update(doc -> {
      doc.setOrder("anthropic", List.of("anthropic:default"));
      return null;
    });
    assertThat(Files.readString(store.path())).isEqualTo(example("auth-profiles.after-order-set.json"));

    store.update(doc -> doc.clearOrder("anthropic"));
    assertThat(Files.readString(store.path())).isEqualTo(example("auth-profiles.after-paste-token.json"));
  }

  @Test
  void eachCredentialTypeIsWrittenWithItsFieldsAndReadBack() throws Exception {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    String token = TestSecrets.get("ANTHROPIC_TOKEN");
    String token2 = TestSecrets.get("ANTHROPIC_TOKEN_2");
    String access = TestSecrets.get("OAUTH_ACCESS");
    String refresh = TestSecrets.get("OAUTH_REFRESH");
    FileStore store = new FileStore(dir.resolve("agent/auth-profiles.json"));
    store.update(doc -> {
      doc.putProfile("anthropic:key", new Credential.ApiKey("anthropic", new Secret(key), null));
      doc.putProfile("anthropic:tok", new Credential.Token("anthropic", new Secret(token), 1795458929012L, null));
      doc.putProfile("anthropic:forever", new Credential.Token("anthropic", new Secret(token2), 0, null));
      doc.putProfile("openai-codex:default", new Credential.OAuth("openai-codex", new Secret(access),
          new Secret(refresh), 1795458929012L, "acct-1", "me@example.invalid", null));
      return null;
    });
    assertThat(Files.readString(store.path())).isEqualTo("""
        {
          "version": 1,
          "profiles": {
            "anthropic:key": {
              "type": "api_key",
              "provider": "anthropic",
              "key": "%s"
            },
            "anthropic:tok": {
              "type": "token",
              "provider": "anthropic",
              "token": "%s",
              "expires": 1795458929012
            },
            "anthropic:forever": {
              "type": "token",
              "provider": "anthropic",
              "token": "%s"
            },
            "openai-codex:default": {
              "type": "oauth",
              "provider": "openai-codex",
              "access": "%s",
              "refresh": "%s",
              "expires": 1795458929012,
              "accountId": "acct-1",
              "email": "me@example.invalid"
            }
          }
        }
        """.formatted(key, token, token2, access, refresh));

    var profiles = store.read().profiles();
    assertThat(profiles.get("anthropic:key")).isEqualTo(
        new Credential.ApiKey("anthropic", new Secret(key), null));
    assertThat(profiles.get("anthropic:tok")).isEqualTo(
        new Credential.Token("anthropic", new Secret(token), 1795458929012L, null));
    assertThat(profiles.get("anthropic:forever")).isEqualTo(
        new Credential.Token("anthropic", new Secret(token2), 0, null));
    assertThat(profiles.get("openai-codex:default")).isEqualTo(new Credential.OAuth("openai-codex",
        new Secret(access), new Secret(refresh), 1795458929012L, "acct-1", "me@example.invalid", null));
  }

  @Test
  void tokenWithZeroExpiresNeverExpires() throws Exception {
    FileStore store = storeWith("""
        {"version":1,"profiles":{"a:t":{"type":"token","provider":"anthropic","token":"%s","expires":0}}}
        """.formatted(TestSecrets.get("ANTHROPIC_TOKEN")));
    Credential.Token t = (Credential.Token) store.read().profiles().get("a:t");
    assertThat(t.expires()).isZero();
    assertThat(t.expiredAt(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void unknownFieldsAndUnreadableProfilesSurviveAnOrderSetByteForByte() throws Exception {
    String key = TestSecrets.get("ANTHROPIC_KEY");
    String before = """
        {
          "version": 1,
          "profiles": {
            "anthropic:default": {
              "type": "api_key",
              "provider": "anthropic",
              "key": "%s",
              "futureField": {
                "nested": [
                  1,
                  "two"
                ]
              }
            },
            "anthropic:future": {
              "type": "passkey",
              "provider": "anthropic",
              "blob": "abc"
            },
            "orphan:x": {
              "type": "api_key",
              "key": "no-provider-here"
            }
          },
          "usageStats": {
            "anthropic:default": {
              "lastUsed": 1795415008328,
              "futureStat": true
            }
          },
          "futureTopLevel": {
            "keep": "me"
          }
        }
        """.formatted(key);
    FileStore store = storeWith(before);
    assertThat(store.read().unreadableProfileIds()).containsExactly("anthropic:future", "orphan:x");
    store.update(doc -> {
      doc.setOrder("anthropic", List.of("anthropic:default"));
      return null;
    });
    String expected = before.substring(0, before.length() - "\n}\n".length())
        + ",\n  \"order\": {\n    \"anthropic\": [\n      \"anthropic:default\"\n    ]\n  }\n}\n";
    assertThat(Files.readString(store.path())).isEqualTo(expected);
  }

  @Test
  void stringsAreEscapedAsJavaScriptJsonStringifyEscapesThem() throws Exception {
    // JSON.stringify escapes ", \ and control characters (short forms for \b \f \n \r \t, else
    // lower-case hex escapes) and leaves every other character, non-ASCII included, as it is.
    String text = """
        {
          "version": 1,
          "profiles": {},
          "note": "quote \\" backslash \\\\ nl \\n tab \\t esc \\u001b del \u007f é ✓ \u2028 </script>"
        }
        """;
    assertThat(storeWith(text).readStored().toJson()).isEqualTo(text);
  }

  @Test
  void numbersKeepTheirJavaScriptForm() throws Exception {
    String text = """
        {
          "version": 1,
          "profiles": {},
          "n": [
            0,
            -1,
            1.5,
            1795458929012,
            0.25
          ]
        }
        """;
    assertThat(storeWith(text).readStored().toJson()).isEqualTo(text);
  }

  @Test
  void orderSetOnAProviderThatHasOneReplacesItInPlace() throws Exception {
    // As a JavaScript assignment to an existing key does: the key keeps its place in the file.
    FileStore store = storeWith("""
        {
          "version": 1,
          "profiles": {},
          "order": {
            "anthropic": [
              "anthropic:a"
            ],
            "openrouter": [
              "openrouter:default"
            ]
          }
        }
        """);
    store.update(doc -> {
      doc.setOrder("Anthropic", List.of("anthropic:b"));
      return null;
    });
    assertThat(Files.readString(store.path())).isEqualTo("""
        {
          "version": 1,
          "profiles": {},
          "order": {
            "anthropic": [
              "anthropic:b"
            ],
            "openrouter": [
              "openrouter:default"
            ]
          }
        }
        """);
  }
}
