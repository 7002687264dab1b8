/** OAuth logins and token refresh per provider: PKCE flows, the callback server and the refresh under the store's lock. */
package dev.clawauth.oauth;
