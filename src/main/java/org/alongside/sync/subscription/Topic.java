package org.alongside.sync.subscription;

import java.util.Optional;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A subscription topic (Subscriptions Backport IG): a mentorship event, as a trigger on one resource type. The
 * trigger looks at the new version ({@code current}) and, only when that passes, at the version before it
 * ({@code previous}; empty for a create), so "a referral became completed" fires once, not on every later edit.
 * Published in R4 form (a Basic resource) under {@code fhir-profiles/Basic/}; pure, no I/O.
 *
 * @param id                 the last segment of the canonical URL
 * @param resourceType       the type the trigger watches (the notification's focus)
 * @param current            what the new version must be
 * @param previous           what the earlier version must have been (Optional.empty(): the resource was created)
 * @param patientSearch      the search parameter (possibly chained) that finds the focus by the person it is
 *                           about: the {@code patient} filter of a Subscription becomes a search on it
 */
public record Topic(String id, String title, String description, String resourceType,
                    Predicate<IBaseResource> current, Predicate<Optional<IBaseResource>> previous,
                    String patientSearch) {

    public static final String CANONICAL_BASE = "http://alongside.health/fhir/SubscriptionTopic/";

    public String url() {
        return CANONICAL_BASE + id;
    }

    /**
     * Whether this change is an event of the topic. {@code previous} is asked only when the new version passes, and
     * at most once.
     */
    public boolean fires(IBaseResource currentVersion, java.util.function.Supplier<Optional<IBaseResource>> previousVersion) {
        return currentVersion != null && currentVersion.fhirType().equals(resourceType)
                && current.test(currentVersion) && previous.test(previousVersion.get());
    }
}
