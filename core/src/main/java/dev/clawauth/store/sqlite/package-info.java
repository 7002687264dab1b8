/** OpenClaw 2026.9's SQLite credential store, read and written as OpenClaw itself does. */
package dev.clawauth.store.sqlite;
