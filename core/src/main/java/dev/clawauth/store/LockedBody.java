package dev.clawauth.store;

import java.io.IOException;

/**
 * Work done while a lock is held, for {@link StoreLock#holding} and
 * {@link CredentialStore#withRefreshLock}: the lock only excludes other writers, so the body never
 * needs the lock itself.
 *
 * @param <T> what the body returns
 * @param <E> the checked exception the body throws besides {@link IOException}
 */
@FunctionalInterface
public interface LockedBody<T, E extends Exception> {
  T run() throws IOException, E;
}
