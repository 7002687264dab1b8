package dev.clawauth.doctor;

/** The headings findings are grouped under, in the order they are printed. */
public enum Section {
  STATE("state", "State integrity"),
  AUTH("auth", "Model auth"),
  PROFILES("profiles", "Profiles and order"),
  ENVIRONMENT("environment", "Environment");

  private final String wire;
  private final String title;

  Section(String wire, String title) {
    this.wire = wire;
    this.title = title;
  }

  public String wire() {
    return wire;
  }

  public String title() {
    return title;
  }
}
