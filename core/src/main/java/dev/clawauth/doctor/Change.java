package dev.clawauth.doctor;

import java.nio.file.Path;

/** Something {@code doctor --fix} did (or, with {@code applied} false, declined to do and why). */
public record Change(String code, String agentId, Path path, String description, boolean applied) {}
