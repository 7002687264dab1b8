package dev.clawauth.store.postgres;

import dev.clawauth.store.StoreBackendsTest;
import dev.clawauth.store.StoreKind;
import dev.clawauth.testing.StateFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Every store operation of {@link StoreBackendsTest}, against the PostgreSQL store on a real server. */
class PostgresStoreBackendsTest extends StoreBackendsTest {

  static Stream<Backend> backends() {
    return Stream.of(new Postgres());
  }

  private static final class Postgres implements Backend {
    private PgTestDb db;

    @Override
    public StoreKind kind() {
      return StoreKind.POSTGRES;
    }

    @Override
    public StateFixture state(Path root) throws Exception {
      db = PgTestDb.fresh();
      return db.state(root);
    }

    /** A sealed secret altered in place, as a bad restore or a hand edit would. */
    @Override
    public Corruption corrupt(StateFixture f) throws Exception {
      f.open(NOW).store().update(doc -> {
        doc.putProfile("anthropic:a", key("ANTHROPIC_KEY"));
        return null;
      });
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE clawauth_profiles SET sealed = overlay(sealed placing '\\x00'::bytea from 20 for 1)");
      }
      return new Corruption(IOException.class, List.of("anthropic:a", db.cluster.url().replace("/postgres", ""),
          "will not overwrite"), () -> {
            try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT sealed FROM clawauth_profiles")) {
              r.next();
              return HexFormat.of().formatHex(r.getBytes(1));
            }
          });
    }

    @Override
    public String toString() {
      return "POSTGRES";
    }
  }
}
