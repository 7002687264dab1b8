package dev.clawauth.cli;

import dev.clawauth.store.postgres.StoreAdmin;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen", description = {
    "Write a new random AES-256 key for the PostgreSQL store's secrets into a new file (0600).",
    "The key is never printed; copy the file to every gateway host."})
public final class StoreKeygenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "<file>", description = "The key file to create (must not exist).")
  Path out;

  @Override
  public Integer call() throws Exception {
    try {
      Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new CliException(out + " exists; a key file is never overwritten (its key may still seal secrets)");
    }
    Files.writeString(out, StoreAdmin.newKey() + "\n", StandardCharsets.UTF_8);
    PrintWriter w = spec.commandLine().getOut();
    w.println("Wrote a new key to " + out + ". Set store.keyFile to it in clawauth.json on every host.");
    w.flush();
    return 0;
  }
}
