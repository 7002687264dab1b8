/** Where things live: the state directory, per-agent paths and the environment they are resolved from. */
package dev.clawauth.state;
