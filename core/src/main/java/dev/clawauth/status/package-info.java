/** What models status reports: per provider and profile, with expiry and the command that fixes each problem. */
package dev.clawauth.status;
