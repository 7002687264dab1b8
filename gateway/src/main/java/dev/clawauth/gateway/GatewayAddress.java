package dev.clawauth.gateway;

import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AtomicFiles;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the running gateway listens, kept in {@code <state>/clawauth-gateway.url} while it runs, so
 * that {@code clawauth chat} finds a gateway started with {@code --port} or on any free port.
 */
public final class GatewayAddress {
  public static final String FILE = "clawauth-gateway.url";

  private GatewayAddress() {}

  public static Path file(StatePaths paths) {
    return paths.stateDir().resolve(FILE);
  }

  /** The URL a local client uses: a wildcard bind is reached on loopback. */
  public static String url(InetSocketAddress listening) {
    var a = listening.getAddress();
    String host = a.isAnyLocalAddress() ? "127.0.0.1"
        : a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    return "http://" + host + ":" + listening.getPort();
  }

  public static void record(StatePaths paths, String url) throws IOException {
    Path f = file(paths);
    AtomicFiles.createPrivateDirectories(f.getParent());
    AtomicFiles.write(f, url + "\n");
  }

  /** Removes the record if it is still this gateway's (another may have started since). */
  public static void forget(StatePaths paths, String url) {
    try {
      if (recorded(paths).filter(url::equals).isPresent()) {
        Files.deleteIfExists(file(paths));
      }
    } catch (IOException ignored) {
      // a record left behind only makes chat try a port nobody listens on, and say so
    }
  }

  /** The URL of the gateway that last started here and has not stopped cleanly, if any. */
  public static Optional<String> recorded(StatePaths paths) throws IOException {
    try {
      String s = AtomicFiles.read(file(paths)).strip();
      return s.startsWith("http://") || s.startsWith("https://") ? Optional.of(s) : Optional.empty();
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    }
  }
}
