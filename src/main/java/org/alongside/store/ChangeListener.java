package org.alongside.store;

/**
 * Observes every change the store writes, inside the writing transaction: whatever a listener writes commits or
 * rolls back with the change itself (the subscription outbox relies on that).
 */
public interface ChangeListener {

    /** Cheap pre-check, so that the store only prepares a {@link ResourceChange} when someone cares. */
    boolean interestedIn(String resourceType);

    /** Called after the change is written; throwing rolls the whole write back. */
    void changed(ResourceChange change);
}
