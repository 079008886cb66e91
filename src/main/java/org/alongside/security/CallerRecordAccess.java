package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.alongside.search.SearchQuery;
import org.alongside.store.RecordAccess;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** {@link RecordAccess} for the caller of the request on this thread, decided by {@link AccessGuard}. */
@ApplicationScoped
public class CallerRecordAccess implements RecordAccess {

    @Inject
    AccessGuard guard;

    @Override
    public void checkRead(IBaseResource resource) {
        RequestAccess access = RequestAccess.current();
        if (access != null) {
            guard.requireRecord(access, resource, Interaction.READ);
        }
    }

    @Override
    public boolean canRead(IBaseResource resource) {
        RequestAccess access = RequestAccess.current();
        return access == null || guard.canSee(access, resource);
    }

    @Override
    public void checkDelete(String resourceType, Optional<IBaseResource> current) {
        RequestAccess access = RequestAccess.current();
        if (access != null) {
            guard.requireInteraction(access, resourceType, Interaction.DELETE);
            current.ifPresent(record -> guard.requireRecord(access, record, Interaction.DELETE));
        }
    }

    @Override
    public void checkConditionalWrite(String resourceType, boolean delete) {
        RequestAccess access = RequestAccess.current();
        if (access != null) {
            ScopeSet.Context context = guard.requireInteraction(access, resourceType,
                    delete ? Interaction.DELETE : Interaction.UPDATE);
            if (AccessRules.kindOf(resourceType) == AccessRules.Kind.PATIENT_DATA
                    && !guard.patientScope(access, context).everyone()) {
                throw AccessGuard.forbidden("A conditional " + (delete ? "delete" : "update") + " of "
                        + resourceType + " needs access to every patient's records (an EHR system token)");
            }
        }
    }

    @Override
    public boolean seesAllOf(String resourceType) {
        RequestAccess access = RequestAccess.current();
        if (access == null) {
            return true;
        }
        try {
            ScopeSet.Context context = guard.requireInteraction(access, resourceType, Interaction.READ);
            return AccessRules.kindOf(resourceType) != AccessRules.Kind.PATIENT_DATA
                    || guard.patientScope(access, context).everyone();
        } catch (ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException e) {
            return false;
        }
    }

    @Override
    public Optional<SearchQuery> restrict(SearchQuery query) {
        RequestAccess access = RequestAccess.current();
        return access == null ? Optional.of(query) : guard.restrict(access, query);
    }

    @Override
    public void checkListing(String resourceType) {
        RequestAccess access = RequestAccess.current();
        if (access != null && resourceType != null) {
            guard.requireInteraction(access, resourceType, Interaction.SEARCH);
        }
        // entries are filtered one by one with canRead
    }
}
