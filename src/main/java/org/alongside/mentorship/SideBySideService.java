package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.REFERRAL_TO_PEER_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.SNOMED;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * The clinician's view of one care plan: therapy and peer support on one timeline. Answers a Bundle
 * (collection) whose first entry is a Parameters summary (last contact, days since, sessions and units this
 * month, current peer mentors, the first and latest recovery capital scores and the change between them), then the CarePlan and its goals, then every clinical and peer-support record
 * in time order.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SideBySideService {

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    InteractionPipeline pipeline;

    /**
     * The plan as the caller may read it, then its records gathered by the server and released to the caller
     * through the pipeline's read filter: what they may not read (another person's goal linked into the plan, a
     * type their scopes leave out, a Part 2 record without consent) is neither shown nor counted in the summary.
     *
     * @param serverBase this server's base URL, for the entries' absolute fullUrls
     */
    public Bundle view(String carePlanId, Instant now, String serverBase) {
        CarePlan plan = (CarePlan) pipeline.read("CarePlan", carePlanId);
        Gathered all = pipeline.asServer(() -> gather(plan, carePlanId));
        List<Goal> goals = pipeline.release("Goal", all.goals());
        List<Resource> timeline = pipeline.release("CarePlan", all.timeline());
        List<ServiceRequest> requests = timeline.stream().filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast).toList();
        List<Encounter> sessions = timeline.stream().filter(Encounter.class::isInstance).map(Encounter.class::cast)
                .filter(e -> all.sessionRefs().contains(ref(e))).toList();
        List<String> peerAssignments = requests.stream().filter(SideBySideService::isPeerAssignment)
                .map(SideBySideService::ref).toList();

        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setId(UUID.randomUUID().toString());
        bundle.setTimestamp(Date.from(now));
        Parameters summary = summary(sessions, timeline, peerAssignments, requests, now);
        bundle.addEntry().setFullUrl("urn:uuid:" + summary.getIdElement().getIdPart()).setResource(summary);
        bundle.addEntry().setFullUrl(serverBase + "/CarePlan/" + carePlanId).setResource(plan);
        goals.forEach(goal -> bundle.addEntry().setFullUrl(serverBase + "/" + ref(goal)).setResource(goal));
        timeline.stream()
                .sorted(Comparator.comparing(SideBySideService::when, Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(r -> bundle.addEntry().setFullUrl(serverBase + "/" + ref(r)).setResource(r));
        return bundle;
    }

    /** Everything linked to the plan, before anyone's access is considered. */
    private record Gathered(List<Goal> goals, List<Resource> timeline, List<String> sessionRefs) {
    }

    private Gathered gather(CarePlan plan, String carePlanId) {
        String planRef = "CarePlan/" + carePlanId;
        StoreQueries queries = new StoreQueries(store, parser);
        List<Goal> goals = new ArrayList<>();
        for (Reference ref : plan.getGoal()) {
            readQuietly(ref, Goal.class).ifPresent(goals::add);
        }
        Map<String, Resource> timeline = new LinkedHashMap<>();
        List<ServiceRequest> requests = queries.all("ServiceRequest", ServiceRequest.class, "based-on", planRef);
        requests.forEach(request -> add(timeline, request));
        for (Reference activity : plan.getActivity().stream().map(CarePlan.CarePlanActivityComponent::getReference)
                .filter(Reference::hasReference).toList()) {
            readQuietly(activity, Resource.class).ifPresent(r -> add(timeline, r));
        }
        List<String> requestRefs = requests.stream().map(SideBySideService::ref).toList();
        List<String> sessionRefs = new ArrayList<>();
        if (!requestRefs.isEmpty()) {
            String anyRequest = String.join(",", requestRefs);
            queries.all("Task", Task.class, "focus", anyRequest).forEach(t -> add(timeline, t));
            queries.all("Encounter", Encounter.class, "based-on", anyRequest).forEach(e -> {
                add(timeline, e);
                sessionRefs.add(ref(e));
            });
            queries.all("Communication", Communication.class, "based-on", anyRequest).forEach(c -> add(timeline, c));
            queries.all("Procedure", Procedure.class, "based-on", anyRequest).forEach(p -> add(timeline, p));
        }
        if (!sessionRefs.isEmpty()) {
            String anySession = String.join(",", sessionRefs);
            queries.all("Procedure", Procedure.class, "encounter", anySession).forEach(p -> add(timeline, p));
        }
        queries.all("Procedure", Procedure.class, "based-on", planRef).forEach(p -> add(timeline, p));
        // encouragement and advice sent to the person, whether or not the sender linked it to the assignment
        queries.all("Communication", Communication.class, "subject", plan.getSubject().getReference(),
                "category", MentorshipCodes.MESSAGE_CATEGORY + "|").forEach(c -> add(timeline, c));
        // the person's recovery capital scores (BARC-10), the outcome the plan works towards
        queries.all("Observation", Observation.class, "subject", plan.getSubject().getReference(),
                "code", RecoveryCapital.CODE_SYSTEM + "|" + RecoveryCapital.TOTAL).forEach(o -> add(timeline, o));
        return new Gathered(goals, new ArrayList<>(timeline.values()), sessionRefs);
    }

    private Parameters summary(List<Encounter> sessions, java.util.Collection<Resource> timeline,
                               List<String> peerAssignments, List<ServiceRequest> requests, Instant now) {
        Instant lastContact = PeerContacts.last(timeline, now).orElse(null);
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        int sessionsThisMonth = 0;
        int unitsThisMonth = 0;
        for (Encounter session : sessions) {
            if (!SessionRules.isPeerSession(session) || session.getStatus() == Encounter.EncounterStatus.ENTEREDINERROR
                    || !session.getPeriod().hasStart()) {
                continue;
            }
            if (YearMonth.from(session.getPeriod().getStart().toInstant().atZone(ZoneOffset.UTC)).equals(month)) {
                sessionsThisMonth++;
                var units = session.getExtensionByUrl(MentorshipCodes.EXT_BILLING_UNITS);
                if (units != null && units.getValue() instanceof IntegerType n) {
                    unitsThisMonth += n.getValue();
                }
            }
        }
        Parameters summary = new Parameters();
        summary.setId(UUID.randomUUID().toString()); // computed, not stored: identified by a urn:uuid fullUrl
        if (lastContact != null) {
            summary.addParameter().setName("lastContact").setValue(new DateTimeType(Date.from(lastContact)));
            summary.addParameter("daysSinceLastContact", (int) ChronoUnit.DAYS.between(lastContact, now));
        }
        summary.addParameter("sessionsThisMonth", sessionsThisMonth);
        summary.addParameter("unitsThisMonth", unitsThisMonth);
        summary.addParameter("sessionsTotal", (int) sessions.stream().filter(SessionRules::isPeerSession).count());
        List<Observation> scores = timeline.stream().filter(Observation.class::isInstance).map(Observation.class::cast)
                .toList();
        RecoveryCapital.trend(scores).ifPresent(trend -> {
            summary.addParameter("recoveryScoreFirst", trend.first().score());
            summary.addParameter().setName("recoveryScoreFirstDate").setValue(new DateTimeType(trend.first().when()));
            summary.addParameter("recoveryScoreLatest", trend.latest().score());
            summary.addParameter().setName("recoveryScoreLatestDate").setValue(new DateTimeType(trend.latest().when()));
            summary.addParameter("recoveryScoreChange", trend.change());
            summary.addParameter("recoveryScoreCount", trend.count());
        });
        for (ServiceRequest request : requests) {
            if (peerAssignments.contains(ref(request)) && request.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE) {
                summary.addParameter().setName("activePeerMentor").setValue(request.getPerformerFirstRep().copy());
            }
        }
        return summary;
    }

    private static boolean isPeerAssignment(ServiceRequest request) {
        return request.getCode().getCoding().stream()
                .anyMatch(c -> SNOMED.equals(c.getSystem()) && REFERRAL_TO_PEER_SUPPORT.equals(c.getCode()));
    }

    /** The moment a record belongs to on the timeline. */
    private static Date when(Resource r) {
        if (r instanceof Encounter e) {
            return e.getPeriod().getStart();
        }
        if (r instanceof Procedure p) {
            return p.hasPerformedPeriod() ? p.getPerformedPeriod().getStart()
                    : p.hasPerformedDateTimeType() ? p.getPerformedDateTimeType().getValue() : null;
        }
        if (r instanceof Communication c) {
            return c.getSent();
        }
        if (r instanceof ServiceRequest s) {
            return s.getAuthoredOn();
        }
        if (r instanceof Task t) {
            return t.getAuthoredOn();
        }
        if (r instanceof Observation o && o.hasEffectiveDateTimeType()) {
            return o.getEffectiveDateTimeType().getValue();
        }
        return r.getMeta().getLastUpdated();
    }

    private <T extends Resource> java.util.Optional<T> readQuietly(Reference ref, Class<T> type) {
        IdType id = new IdType(ref.getReference());
        if (!id.hasResourceType() || !id.hasIdPart() || id.isAbsolute()) {
            return java.util.Optional.empty();
        }
        try {
            Object resource = store.read(id.getResourceType(), id.getIdPart());
            return type.isInstance(resource) ? java.util.Optional.of(type.cast(resource)) : java.util.Optional.empty();
        } catch (BaseServerResponseException gone) {
            return java.util.Optional.empty(); // deleted or unknown: the plan points at nothing to show
        }
    }

    private static void add(Map<String, Resource> timeline, Resource resource) {
        timeline.putIfAbsent(ref(resource), resource);
    }

    private static String ref(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
