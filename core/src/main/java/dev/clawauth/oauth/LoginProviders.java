package dev.clawauth.oauth;

import dev.clawauth.state.Environment;
import dev.clawauth.store.Providers;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The login providers on the class path, built-in ones first. */
public final class LoginProviders {
  private final List<LoginProvider> all;
  private final List<String> problems;

  private LoginProviders(List<LoginProvider> all, List<String> problems) {
    this.all = List.copyOf(all);
    this.problems = List.copyOf(problems);
  }

  /** Every provider {@link ServiceLoader} finds with this class's loader. */
  public static LoginProviders load() {
    return load(LoginProviders.class.getClassLoader());
  }

  /**
   * The class path's providers plus those in the jars and directories listed in
   * {@code CLAWAUTH_PLUGIN_PATH} (separated by the platform's path separator), for programs started
   * with {@code java -jar}, where the class path cannot be extended.
   */
  public static LoginProviders load(Environment env) {
    String path = env.get(PLUGIN_PATH).orElse(null);
    if (path == null) {
      return load();
    }
    List<URL> urls = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String entry : path.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = env.expand(entry.trim());
      if (!Files.exists(p)) {
        problems.add(PLUGIN_PATH + ": " + p + " does not exist");
        continue;
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        problems.add(PLUGIN_PATH + ": " + p + " is not a usable path");
      }
    }
    // Never closed: the providers' classes stay in use for the life of the program.
    URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), LoginProviders.class.getClassLoader());
    LoginProviders found = load(loader);
    problems.addAll(found.problems);
    return new LoginProviders(found.all, problems);
  }

  /** The environment variable that lists plugin jars. */
  public static final String PLUGIN_PATH = "CLAWAUTH_PLUGIN_PATH";

  public static LoginProviders load(ClassLoader loader) {
    List<LoginProvider> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Iterator<LoginProvider> it = ServiceLoader.load(LoginProvider.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError broken) {
        // One broken plugin jar must not take the built-in logins down with it.
        problems.add(broken.getMessage());
      }
    }
    return new LoginProviders(found, problems);
  }

  public static LoginProviders of(List<LoginProvider> providers) {
    return new LoginProviders(providers, List.of());
  }

  public List<LoginProvider> all() {
    return all;
  }

  /** Plugins that could not be loaded, as messages. */
  public List<String> problems() {
    return problems;
  }

  public List<LoginProvider> forProvider(String provider) {
    return all.stream().filter(p -> Providers.same(p.provider(), provider)).toList();
  }

  /**
   * The flow to run: the named method, else the provider's only or default one.
   *
   * @throws LoginException naming what exists when nothing matches
   */
  public LoginProvider find(String provider, String method) throws LoginException {
    List<LoginProvider> mine = forProvider(provider);
    if (mine.isEmpty()) {
      throw new LoginException("No login flow for provider \"" + Providers.normalize(provider)
          + "\". Known providers: " + String.join(", ", all.stream().map(LoginProvider::provider).distinct().toList())
          + ". For an API key of another provider use `clawauth models auth paste-api-key`.");
    }
    if (method != null && !method.isBlank()) {
      return mine.stream().filter(p -> p.method().equalsIgnoreCase(method.trim())).findFirst()
          .orElseThrow(() -> new LoginException("Provider " + Providers.normalize(provider)
              + " has no login method \"" + method.trim() + "\". Methods: " + methods(mine) + "."));
    }
    if (mine.size() == 1) {
      return mine.get(0);
    }
    return mine.stream().filter(LoginProvider::isDefault).findFirst().orElse(mine.get(0));
  }

  static String methods(List<LoginProvider> ps) {
    return String.join(", ", ps.stream().map(LoginProvider::method).toList());
  }

  /** The provider that can refresh OAuth grants of {@code provider}. */
  public Optional<OAuthProvider> refresher(String provider) {
    return all.stream().filter(p -> p instanceof OAuthProvider && Providers.same(p.provider(), provider))
        .map(p -> (OAuthProvider) p).findFirst();
  }
}
