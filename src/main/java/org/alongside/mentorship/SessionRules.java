package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.HCPCS;
import static org.alongside.mentorship.MentorshipCodes.PEER_SERVICES;
import static org.alongside.mentorship.MentorshipCodes.REFERRAL_TO_PEER_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.SNOMED;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.alongside.config.AlongsideConfig;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Rules for peer support sessions (Encounters typed H0038), however they arrive: the session needs a start
 * and stop, and one of its peers must have been assigned to the person when it started; the server links the
 * session to that assignment and computes the H0038 billing units from start and stop.
 */
@ApplicationScoped
public class SessionRules implements WriteCheck {

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    AlongsideConfig config;

    @Override
    public void check(IBaseResource resource) {
        if (!(resource instanceof Encounter session) || !isPeerSession(session)) {
            return;
        }
        if (session.getStatus() == Encounter.EncounterStatus.ENTEREDINERROR) {
            return; // marking a mistaken record as such must always be possible
        }
        Reference subject = session.getSubject();
        if (subject.getReference() == null || !subject.getReference().startsWith("Patient/")) {
            throw new UnprocessableEntityException("A peer support session needs subject = the Patient served");
        }
        Period period = session.getPeriod();
        if (!period.hasStart() || !period.hasEnd()) {
            throw new UnprocessableEntityException("A peer support session needs Encounter.period start and end "
                    + "(the billing units are computed from them)");
        }
        if (period.getEnd().before(period.getStart())) {
            throw new UnprocessableEntityException("Encounter.period ends before it starts");
        }
        ServiceRequest assignment = assignmentAt(session, period.getStart()).orElseThrow(() ->
                Refusals.unprocessable("no-active-assignment", "No peer mentor assignment of "
                        + String.join(", ", peers(session)) + " to " + subject.getReference() + " was active on "
                        + period.getStartElement().getValueAsString() + "; a session can only be logged for a person "
                        + "assigned to the peer"));
        String assignmentRef = assignment.getIdElement().toUnqualifiedVersionless().getValue();
        if (session.getBasedOn().stream().noneMatch(r -> assignmentRef.equals(r.getReference()))) {
            session.addBasedOn(new Reference(assignmentRef));
        }
        int units = new BillingUnits(config.billingUnitMinutes(), config.billingMinimumMinutes())
                .forSession(period.getStart().toInstant(), period.getEnd().toInstant());
        session.getExtension().removeIf(e -> MentorshipCodes.EXT_BILLING_UNITS.equals(e.getUrl()));
        session.addExtension(MentorshipCodes.EXT_BILLING_UNITS, new IntegerType(units));
    }

    public static boolean isPeerSession(Encounter encounter) {
        return encounter.getType().stream().flatMap(t -> t.getCoding().stream())
                .anyMatch(c -> HCPCS.equals(c.getSystem()) && PEER_SERVICES.equals(c.getCode()));
    }

    private static List<String> peers(Encounter session) {
        return session.getParticipant().stream().map(p -> p.getIndividual().getReference())
                .filter(r -> r != null && r.startsWith("PractitionerRole/")).toList();
    }

    /** An assignment of one of the session's peers to its subject whose period covers the given time. */
    private Optional<ServiceRequest> assignmentAt(Encounter session, Date when) {
        StoreQueries queries = new StoreQueries(store, parser);
        for (String peer : peers(session)) {
            List<ServiceRequest> assignments = queries.all("ServiceRequest", ServiceRequest.class,
                    "performer", peer, "subject", session.getSubject().getReference(),
                    "code", SNOMED + "|" + REFERRAL_TO_PEER_SUPPORT, "status", "active,completed");
            for (ServiceRequest assignment : assignments) {
                Period occurrence = assignment.hasOccurrencePeriod() ? assignment.getOccurrencePeriod() : new Period();
                boolean started = !occurrence.hasStart() || !startOfDay(occurrence.getStart()).after(when);
                boolean notEnded = !occurrence.hasEnd() || !endOfDay(occurrence.getEnd()).before(when);
                if (started && notEnded) {
                    return Optional.of(assignment);
                }
            }
        }
        return Optional.empty();
    }

    /** Assignment periods are dates: a session any time on the start or end day counts. */
    private static Date startOfDay(Date date) {
        return Date.from(date.toInstant().truncatedTo(java.time.temporal.ChronoUnit.DAYS));
    }

    private static Date endOfDay(Date date) {
        return Date.from(date.toInstant().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(java.time.Duration.ofDays(1)));
    }
}
