/** The choices onboarding offers: which provider, which method, which default model. */
package dev.clawauth.onboard;
