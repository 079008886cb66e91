package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.store.FhirIds;
import org.alongside.store.ResourceStore;
import org.alongside.store.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Refuses a write the caller may not make, however it arrives (REST, Bundle entry, operation). An update
 * is checked against both the stored record and the new content, so a record cannot be moved into or out
 * of the caller's reach, and a peer cannot take over someone else's log by naming themselves in it.
 */
@ApplicationScoped
public class AccessWriteCheck implements WriteCheck {

    @Inject
    AccessGuard guard;

    @Inject
    ResourceStore store;

    @Override
    public void check(IBaseResource resource) {
        RequestAccess access = RequestAccess.current();
        if (access == null) {
            return;
        }
        IBaseResource existing = existing(resource);
        if (existing == null) {
            guard.requireRecord(access, resource, Interaction.CREATE);
        } else {
            guard.requireRecord(access, existing, Interaction.UPDATE);
            guard.requireRecord(access, resource, Interaction.UPDATE);
        }
    }

    private IBaseResource existing(IBaseResource resource) {
        String id = resource.getIdElement().getIdPart();
        // find(), not read(): a miss must not mark the caller's transaction for rollback
        return !FhirIds.isLogicalId(id) ? null
                : store.find(resource.fhirType(), id).orElse(null);
    }
}
