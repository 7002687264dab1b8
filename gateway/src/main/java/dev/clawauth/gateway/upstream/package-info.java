/** The gateway's client to providers: pooled connections per event loop, TLS and response parsing. */
package dev.clawauth.gateway.upstream;
