package org.alongside.store;

/**
 * Background work that one instance of a deployment does at a time (several instances share one database). The lock
 * dies with its holder: an instance that crashes mid-run leaves nothing held, and the next run anywhere takes over.
 */
public interface SingleInstance {

    /** Runs {@code work} unless another instance is running the job of this name; false when it did not run. */
    boolean runAlone(String job, Runnable work);
}
