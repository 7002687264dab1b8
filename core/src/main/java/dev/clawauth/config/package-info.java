/** OpenClaw's config file (openclaw.json, JSON5): the keys Clawauth reads, and edits that keep the user's text. */
package dev.clawauth.config;
