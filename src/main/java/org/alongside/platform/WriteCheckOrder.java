package org.alongside.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.alongside.conformance.ProfileValidation;
import org.alongside.interaction.WriteCheck;
import org.alongside.mentorship.NoteRules;
import org.alongside.mentorship.RecoveryCapitalRules;
import org.alongside.mentorship.SessionRules;
import org.alongside.security.ConsentAuthorship;
import org.alongside.security.Part2Labels;
import org.alongside.security.Part2Subscriptions;
import org.alongside.supervision.SupervisionRules;
import org.alongside.sync.subscription.SubscriptionRules;

/**
 * The order of the write checks, declared once: who may write a program instrument at all (a Subscription), rules
 * that complete or refuse a resource of their own type
 * (sessions get their billing units, DAP and GIRP notes need their sections, BARC-10 responses must be complete, supervision sessions their shape,
 * subscriptions their status, consents their recorder), then the Part 2 labels
 * over what those rules made, then profile validation of exactly what will be stored.
 */
@ApplicationScoped
public class WriteCheckOrder implements WriteCheck.Order {

    @Inject
    SessionRules sessions;

    @Inject
    NoteRules notes;

    @Inject
    SupervisionRules supervision;

    @Inject
    SubscriptionRules subscriptions;

    @Inject
    RecoveryCapitalRules recoveryCapital;

    @Inject
    ConsentAuthorship consents;

    @Inject
    Part2Subscriptions part2Subscriptions;

    @Inject
    Part2Labels part2Labels;

    @Inject
    ProfileValidation validation;

    @Override
    public List<WriteCheck> checks() {
        return List.of(part2Subscriptions, sessions, notes, recoveryCapital, supervision, subscriptions, consents, part2Labels,
                validation);
    }
}
