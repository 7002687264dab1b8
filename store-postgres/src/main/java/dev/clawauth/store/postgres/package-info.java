/** A PostgreSQL credential store that several gateway hosts share: one pool, one refresh per account, cooldowns seen by all. */
package dev.clawauth.store.postgres;
