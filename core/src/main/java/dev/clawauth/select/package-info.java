/** Choosing a profile for a request: order, cooldowns and the classification of failures. */
package dev.clawauth.select;
