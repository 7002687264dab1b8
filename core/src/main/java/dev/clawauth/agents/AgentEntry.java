package dev.clawauth.agents;

import java.nio.file.Path;

/**
 * One agent as {@code agents list} shows it. {@code profileCount} is -1 when its store does not
 * parse ({@code problem} then says why).
 */
public record AgentEntry(String id, Path agentDir, boolean isDefault, boolean configured,
    int profileCount, String problem) {}
