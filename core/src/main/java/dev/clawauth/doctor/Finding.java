package dev.clawauth.doctor;

import java.nio.file.Path;

/**
 * One thing {@code doctor} found: what it is, why it matters, and the command that fixes it.
 * {@code repair} is set when {@code doctor --fix} can make the change itself safely.
 *
 * @param code stable identifier of the kind of finding (see docs/doctor.md)
 * @param agentId the agent it concerns, or null for the state dir as a whole
 * @param path the file or directory it concerns, or null
 */
public record Finding(String code, Severity severity, Section section, String agentId, Path path,
    String what, String why, String fix, Repair repair) {

  public boolean autoFixable() {
    return repair != null;
  }
}
