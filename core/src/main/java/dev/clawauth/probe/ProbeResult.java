package dev.clawauth.probe;

/**
 * What one probe found. {@code httpStatus} is 0 when no answer came back; {@code endpoint} is the
 * URL asked (never with credentials in it); {@code detail} is a short explanation without any
 * response body, since providers sometimes echo part of a key back.
 */
public record ProbeResult(ProbeTarget target, ProbeStatus status, int httpStatus, long latencyMs,
    String endpoint, String detail) {}
