package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;

/**
 * In Part 2 mode a recipient outside the program may not subscribe: a notification carries records as they are
 * written, with no consent decision per record, so it would be a disclosure the consent check never saw (the same
 * reason bulk export is for program clients only). Outside recipients search, and each record is checked.
 */
@ApplicationScoped
public class Part2Subscriptions implements WriteCheck {

    @Inject
    Part2Config part2;

    @Override
    public void check(IBaseResource resource) {
        if (!(resource instanceof Subscription) || !part2.enabled()) {
            return;
        }
        RequestAccess access = RequestAccess.current();
        if (access != null && !access.isServer() && part2.isOutsideRecipient(access.caller())) {
            throw AccessGuard.forbidden("Subscriptions are not offered to recipients outside the Part 2 program; "
                    + "search, and each record is checked against the person's consent");
        }
    }
}
