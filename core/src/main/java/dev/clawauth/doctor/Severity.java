package dev.clawauth.doctor;

import java.util.Locale;

/** How much a finding matters. Errors and warnings keep {@code doctor}'s exit code at 1; info does not. */
public enum Severity {
  ERROR, WARNING, INFO;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isProblem() {
    return this != INFO;
  }
}
