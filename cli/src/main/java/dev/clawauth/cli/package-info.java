/** The clawauth command line: picocli commands, their text output and the one place failures become exit codes. */
package dev.clawauth.cli;
