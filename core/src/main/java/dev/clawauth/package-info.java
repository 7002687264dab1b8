/** The entry point for embedders: an agent's context (state directory, config, store) opened in one call. */
package dev.clawauth;
