package org.alongside.security;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;
import org.alongside.search.SearchQuery;
import org.alongside.store.RecordAccess;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * {@link RecordAccess} for whoever works on this thread ({@link RequestAccess}), decided by {@link AccessGuard}.
 * The server itself (explicit {@link #asServer}) may do everything; no one at all may do nothing.
 */
@ApplicationScoped
public class CallerRecordAccess implements RecordAccess {

    @Inject
    AccessGuard guard;

    @Inject
    Part2Config part2;

    @Override
    public void checkInteraction(String resourceType, String interaction) {
        RequestAccess access = access();
        if (!access.isServer()) {
            guard.requireInteraction(access, resourceType,
                    Interaction.valueOf(interaction.toUpperCase(java.util.Locale.ROOT)));
        }
    }

    @Override
    public void checkRead(IBaseResource resource) {
        RequestAccess access = access();
        if (!access.isServer()) {
            guard.requireRecord(access, resource, Interaction.READ);
        }
    }

    @Override
    public boolean canRead(IBaseResource resource) {
        RequestAccess access = access();
        return access.isServer() || guard.canSee(access, resource);
    }

    @Override
    public void checkWrite(Optional<IBaseResource> current, IBaseResource proposed) {
        RequestAccess access = access();
        if (access.isServer()) {
            return;
        }
        if (current.isEmpty()) {
            guard.requireRecord(access, proposed, Interaction.CREATE);
        } else {
            guard.requireRecord(access, current.get(), Interaction.UPDATE);
            guard.requireRecord(access, proposed, Interaction.UPDATE);
        }
    }

    @Override
    public void checkDelete(String resourceType, Optional<IBaseResource> current) {
        RequestAccess access = access();
        if (!access.isServer()) {
            guard.requireInteraction(access, resourceType, Interaction.DELETE);
            current.ifPresent(record -> guard.requireRecord(access, record, Interaction.DELETE));
        }
    }

    @Override
    public void checkConditionalWrite(String resourceType, boolean delete) {
        RequestAccess access = access();
        if (access.isServer()) {
            return;
        }
        ScopeSet.Context context = guard.requireInteraction(access, resourceType,
                delete ? Interaction.DELETE : Interaction.UPDATE);
        if (AccessRules.kindOf(resourceType) == AccessRules.Kind.PATIENT_DATA
                && !guard.patientScope(access, context).everyone()) {
            throw AccessGuard.forbidden("A conditional " + (delete ? "delete" : "update") + " of "
                    + resourceType + " needs access to every patient's records (an EHR system token)");
        }
    }

    @Override
    public boolean seesAllOf(String resourceType) {
        RequestAccess access = access();
        if (access.isServer()) {
            return true;
        }
        try {
            ScopeSet.Context context = guard.requireInteraction(access, resourceType, Interaction.READ);
            return AccessRules.kindOf(resourceType) != AccessRules.Kind.PATIENT_DATA
                    || guard.patientScope(access, context).everyone() && !filtersRecords(resourceType);
        } catch (ForbiddenOperationException e) {
            return false;
        }
    }

    @Override
    public Optional<SearchQuery> restrict(SearchQuery query) {
        RequestAccess access = access();
        return access.isServer() ? Optional.of(query) : guard.restrict(access, query);
    }

    @Override
    public boolean filtersRecords(String resourceType) {
        RequestAccess access = access();
        return !access.isServer() && guard.filtersRecords(access, resourceType);
    }

    @Override
    public void checkListing(String resourceType) {
        RequestAccess access = access();
        if (!access.isServer() && resourceType != null) {
            guard.requireInteraction(access, resourceType, Interaction.SEARCH);
        }
        // entries are filtered one by one with canRead
    }

    @Override
    public void label(IBaseResource resource) {
        RequestAccess access = access();
        if (!access.isServer() && part2.enabled() && part2.isOutsideRecipient(access.caller())) {
            Part2Labels.markNoRedisclosure(resource);
        }
    }

    @Override
    public <T> T asServer(Supplier<T> work) {
        return RequestAccess.asServer(work);
    }

    /** Who works on this thread; a programming error (500, nothing disclosed) when nobody said. */
    private static RequestAccess access() {
        RequestAccess access = RequestAccess.current();
        if (access == null) {
            throw new IllegalStateException("No caller on this thread: internal work must run as the server");
        }
        return access;
    }
}
