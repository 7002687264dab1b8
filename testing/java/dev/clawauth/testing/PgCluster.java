package dev.clawauth.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for the tests of one JVM: made with the server's own {@code initdb}
 * (Debian's package, under {@code /usr/lib/postgresql/<n>/bin}, or {@code $PG_BIN}) in a temp
 * directory, listening on a free port of 127.0.0.1 with password authentication, and stopped and
 * removed when the JVM exits. PostgreSQL refuses to run as root, so as root it runs as user
 * {@code postgres}. Where no server is installed, {@link #shared} is empty and {@link #missing}
 * says why, for the tests to skip with.
 */
public final class PgCluster {
  public static final String USER = "clawauth";
  private static PgCluster shared;
  private static String missing;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PgCluster(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** The JVM's cluster, started on first use; empty when PostgreSQL cannot be had here. */
  public static synchronized Optional<PgCluster> shared() {
    if (shared == null && missing == null) {
      try {
        shared = create();
        Runtime.getRuntime().addShutdownHook(new Thread(shared::destroy, "pg-cluster-stop"));
      } catch (IOException | InterruptedException | RuntimeException e) {
        missing = "PostgreSQL could not be started for the tests: " + e.getMessage();
      }
    }
    return Optional.ofNullable(shared);
  }

  /**
   * The cluster for a test: without PostgreSQL the test is skipped with the reason, or fails when
   * {@code CLAWAUTH_REQUIRE_POSTGRES=1} (CI, which installs it).
   */
  public static PgCluster forTest() {
    Optional<PgCluster> c = shared();
    if (c.isEmpty() && "1".equals(System.getenv("CLAWAUTH_REQUIRE_POSTGRES"))) {
      throw new IllegalStateException(missing());
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(c.isPresent(), () -> "skipped: " + missing());
    return c.get();
  }

  /** Why {@link #shared} is empty. */
  public static synchronized String missing() {
    return missing;
  }

  public int port() {
    return port;
  }

  public String password() {
    return TestSecrets.get("PG_PASSWORD");
  }

  /** A {@code postgresql://} address of the cluster's {@code postgres} database, without the password. */
  public String url() {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/postgres";
  }

  private static PgCluster create() throws IOException, InterruptedException {
    Path bin = findBin().orElseThrow(() -> new IOException(
        "no initdb under /usr/lib/postgresql/*/bin or $PG_BIN (apt-get install postgresql)"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("clawauth-pg-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path pw = dir.resolve("pw");
    Files.writeString(pw, TestSecrets.get("PG_PASSWORD") + "\n", StandardCharsets.UTF_8);
    if (root) {
      UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, pg);
      Files.setOwner(pw, pg);
    }
    PgCluster c = new PgCluster(bin, dir, freePort(), root);
    c.run(60, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
        "--pwfile=" + pw, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync");
    Files.delete(pw);
    c.start();
    return c;
  }

  /**
   * Starts the server (again, after {@link #stop}) on the same port. fsync is off (the machine does
   * not crash in a test), but commits stay synchronous: an immediate stop would lose async ones.
   */
  public void start() throws IOException, InterruptedException {
    run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
            + " -c fsync=off -c full_page_writes=off -c max_connections=300", "start");
  }

  /** Stops the server at once, as a crash would: clients see their connections drop. */
  public void stop() throws IOException, InterruptedException {
    run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
  }

  private void destroy() {
    try {
      stop();
    } catch (IOException | InterruptedException | RuntimeException ignored) {
      // already stopped
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    Path out = Files.createTempFile("pg-cmd-", ".log");
    try {
      Process p = new ProcessBuilder(cmd).directory(Path.of("/").toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command[0] + " did not finish in " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        String text = Files.readString(out);
        throw new IOException(Path.of(command[0]).getFileName() + " failed (" + p.exitValue() + "): "
            + text.substring(Math.max(0, text.length() - 600)).strip());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static Optional<Path> findBin() throws IOException {
    String env = System.getenv("PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
      return Optional.of(Path.of(env));
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparingInt(b -> major(b.getParent().getFileName().toString())));
    }
  }

  private static int major(String name) {
    try {
      return Integer.parseInt(name.replaceAll("\\..*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
