/** JMH benchmarks of the in-process paths: reading a store and building a status report. */
package dev.clawauth.bench;
