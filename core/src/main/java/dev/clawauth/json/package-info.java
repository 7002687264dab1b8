/** JSON reading and writing with positions in errors, lossless numbers and the layout OpenClaw writes. */
package dev.clawauth.json;
