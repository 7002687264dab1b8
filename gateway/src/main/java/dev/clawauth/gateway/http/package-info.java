/**
 * The gateway's own HTTP/1.1 server on event loops ({@link dev.clawauth.gateway.http.LoopServer}),
 * and its admission policy for connections that have not shown the token
 * ({@link dev.clawauth.gateway.http.Admission}).
 */
package dev.clawauth.gateway.http;
