/** Writing credentials into a store and config, recognising key shapes, and keeping secrets out of any text shown. */
package dev.clawauth.credentials;
