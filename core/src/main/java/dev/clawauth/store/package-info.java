/** Where an agent's credentials are kept: the store interface, its file backend and the credential model. */
package dev.clawauth.store;
