package dev.clawauth.oauth;

import dev.clawauth.store.Providers;
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
