package dev.clawauth.cli;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.StoreEra;
import dev.clawauth.store.StoreKind;
import dev.clawauth.store.postgres.PostgresSettings;
import dev.clawauth.store.postgres.StoreAdmin;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rekey", description = {
    "Re-seal every secret in the PostgreSQL store with the current key (store.keyFile or",
    "$CLAWAUTH_STORE_KEY), in place. The old key must be listed in store.previousKeyFiles (or",
    "$CLAWAUTH_STORE_PREVIOUS_KEYS) until this is done on one host; every host then needs only the new one."})
public final class StoreRekeyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    StatePaths paths = StatePaths.resolve(Environment.system());
    StoreEra era = StoreEra.detect(paths, ClawConfig.load(paths.configPath()));
    if (era.kind() != StoreKind.POSTGRES) {
      throw new CliException("this state directory uses " + era.kind().label() + "; only the PostgreSQL store"
          + " seals its secrets with a key");
    }
    StoreAdmin.Rekeyed r = StoreAdmin.rekey(PostgresSettings.from(era.settings().orElseThrow(), paths));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Re-sealed " + r.resealed() + " profile(s) of " + r.agents() + " agent(s) with the current key.");
    out.flush();
    if (r.left() > 0) {
      throw new CliException(r.left() + " profile(s) are still sealed with an older key (written meanwhile by a host"
          + " with the old key?); run this again");
    }
    return 0;
  }
}
