package org.alongside.store;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Told of every version the store writes, inside the writing transaction, so that what it records (the
 * audit trail) commits or rolls back with the write itself. Not told of writes that change nothing.
 */
public interface WriteObserver {

    /** @param resource the stored content, or null for a deletion */
    void written(String type, String id, long version, String method, IBaseResource resource);
}
