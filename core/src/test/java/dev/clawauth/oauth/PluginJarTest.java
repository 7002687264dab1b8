package dev.clawauth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.state.Environment;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A login provider in a separate jar is found through ServiceLoader, and a broken one is skipped. */
final class PluginJarTest {
  @TempDir
  Path tmp;

  private Path pluginJar(String serviceLines) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/acme"));
    Files.writeString(src.resolve("AcmeLogin.java"), """
        package acme;
        import dev.clawauth.oauth.*;
        import dev.clawauth.store.*;
        public final class AcmeLogin implements LoginProvider {
          public String provider() { return "acme"; }
          public String method() { return "api-key"; }
          public String description() { return "Acme API key"; }
          public LoginResult login(LoginSession s) throws java.io.IOException {
            String k = s.prompter().readSecret("Acme key: ");
            return new LoginResult("acme:default", new Credential.ApiKey("acme", new Secret(k), null), "api_key", null);
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21",
        "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), src.resolve("AcmeLogin.java").toString());
    assertThat(rc).isZero();
    Path jar = tmp.resolve("acme-login.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("acme/AcmeLogin.class"));
      out.write(Files.readAllBytes(classes.resolve("acme/AcmeLogin.class")));
      out.putNextEntry(new JarEntry("META-INF/services/dev.clawauth.oauth.LoginProvider"));
      out.write(serviceLines.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private static Environment env(Path pluginPath) {
    return new Environment(Map.of(LoginProviders.PLUGIN_PATH, pluginPath.toString()), Path.of("/"), Path.of("/"));
  }

  @Test
  void aJarOnThePluginPath_addsAProvider_besideTheBuiltIns() throws Exception {
    LoginProviders all = LoginProviders.load(env(pluginJar("acme.AcmeLogin\n")));
    assertThat(all.problems()).isEmpty();
    assertThat(all.find("acme", null).getClass().getName()).isEqualTo("acme.AcmeLogin");
    assertThat(all.find("openai-codex", null)).isInstanceOf(OpenAICodexProvider.class);
  }

  @Test
  void aBrokenPluginEntry_isReported_andTheOthersStillLoad() throws Exception {
    Path jar = pluginJar("acme.DoesNotExist\nacme.AcmeLogin\n");
    LoginProviders all = LoginProviders.load(env(Path.of(jar + File.pathSeparator + tmp.resolve("missing.jar"))));
    assertThat(all.problems()).hasSize(2);
    assertThat(all.problems().toString()).contains("missing.jar").contains("acme.DoesNotExist");
    assertThat(all.find("acme", null).getClass().getName()).isEqualTo("acme.AcmeLogin");
    assertThat(all.find("openai-codex", null)).isInstanceOf(OpenAICodexProvider.class);
  }
}
