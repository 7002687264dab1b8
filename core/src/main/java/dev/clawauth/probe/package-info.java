/** Live probes of stored credentials against each provider's API. */
package dev.clawauth.probe;
