package org.alongside.store;

/**
 * Whether the store is known to be out of reach right now (its database cannot be reached). Work that needs it, such
 * as recording a failed request's audit event, would then only wait out the driver's timeouts and fail; callers skip
 * it instead. False as long as nothing has shown otherwise.
 */
public interface StoreAvailability {

    boolean unreachable();
}
