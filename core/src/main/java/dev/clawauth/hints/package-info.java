/** The wording users are pointed to: the command that fixes a credential (with its --agent flag) and remaining times. */
package dev.clawauth.hints;
