package dev.clawauth.env;

import dev.clawauth.store.Secret;

/** A variable's value and where it came from, as shown in a credential's {@code source}. */
public record EnvValue(String name, Secret value, String source) {}
