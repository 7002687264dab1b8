/** Agents as the config declares them: their ids, directories and the default one. */
package dev.clawauth.agents;
