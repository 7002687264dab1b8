/** The doctor's checks of a state directory, its findings and the repairs --fix makes. */
package dev.clawauth.doctor;
