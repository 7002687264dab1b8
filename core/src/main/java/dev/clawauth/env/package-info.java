/** Credentials from the environment: process variables, .env files and the login shell. */
package dev.clawauth.env;
