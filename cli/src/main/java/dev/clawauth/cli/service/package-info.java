/** Running clawauth under the operating system's service managers: systemd user units, launchd agents and cron. */
package dev.clawauth.cli.service;
