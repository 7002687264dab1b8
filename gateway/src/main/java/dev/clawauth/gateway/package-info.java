/** The local gateway: routing, the token check, credential injection, failover between profiles and its settings. */
package dev.clawauth.gateway;
