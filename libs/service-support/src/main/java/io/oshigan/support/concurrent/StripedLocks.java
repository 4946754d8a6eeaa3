package io.oshigan.support.concurrent;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks, one per stripe of keys: work on one key runs alone, work on keys of other stripes need not
 * wait, and memory stays bounded whatever the number of keys.
 */
public final class StripedLocks {
    private final Lock[] locks;

    public StripedLocks(int stripes) {
        locks = new Lock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock of {@code key}'s stripe (by its hash code). */
    public Lock of(Object key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }
}
