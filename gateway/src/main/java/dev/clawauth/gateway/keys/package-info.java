/** Client keys of the gateway: the keys file the CLI writes, the ring the gateway checks, and usage per key. */
package dev.clawauth.gateway.keys;
