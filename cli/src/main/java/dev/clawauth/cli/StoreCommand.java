package dev.clawauth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "store", description = {
    "The credential store itself: move it between the files and a PostgreSQL database shared by",
    "several gateway hosts, make a key for that database's secrets, re-seal them with a new key."})
public final class StoreCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
