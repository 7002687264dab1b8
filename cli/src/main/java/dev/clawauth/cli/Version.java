package dev.clawauth.cli;

import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"clawauth " + (v == null ? "0.1.0" : v)};
  }
}
