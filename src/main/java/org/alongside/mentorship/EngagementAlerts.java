package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.ENGAGEMENT_ALERT;
import static org.alongside.mentorship.MentorshipCodes.MESSAGE_CATEGORY;
import static org.alongside.mentorship.MentorshipCodes.NO_PEER_CONTACT;
import static org.alongside.mentorship.MentorshipCodes.REFERRAL_TO_PEER_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.SNOMED;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.logging.Logger;
import org.alongside.config.AlongsideConfig;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.UnsignedIntType;

/**
 * Engagement alerts: when an active mentee has had no peer contact for N days (the peer's Organization sets N with
 * the extension engagement-alert-days, else {@code alongside.engagement.days}), a Task for the care team's clinician;
 * closed by itself once a contact after the gap's start is recorded, or cancelled when the mentorship ends.
 * <p>
 * Never two Tasks for one gap, whatever runs at once or crashes: each gap has a deterministic identifier (the
 * mentorship and the instant the gap started, {@link EngagementGap}) and is created with a conditional create on
 * it, which the store serialises per type; closing is an update on the version read (If-Match), so two closers
 * cannot both write. Every Task is written on its own transaction through the pipeline, as the server: validated,
 * labelled, audited and pushed through Subscriptions like any write. A run cut short leaves whole Tasks; the next run
 * finds them by their identifiers and does the rest. The rule evaluation reads the store as the server's own
 * reasoning.
 */
@ApplicationScoped
public class EngagementAlerts {

    static final String KEY_SYSTEM = MentorshipCodes.BASE + "/engagement-alert-key";
    static final String GAP_START = "gap-start";
    static final String THRESHOLD_DAYS = "threshold-days";
    static final String CONTACT_RESUMED = "contact-resumed";
    static final String MENTORSHIP_ENDED = "mentorship-ended";
    /** The statuses of an alert still open (a clinician may have moved it on); the others end it. */
    private static final String OPEN = "draft,requested,received,accepted,ready,in-progress,on-hold";
    private static final Set<Task.TaskStatus> CLOSED = Set.of(Task.TaskStatus.COMPLETED, Task.TaskStatus.CANCELLED,
            Task.TaskStatus.FAILED, Task.TaskStatus.REJECTED, Task.TaskStatus.ENTEREDINERROR);
    private static final Logger LOG = Logger.getLogger(EngagementAlerts.class.getName());

    /** What one run did (counts only: nothing about anyone). */
    public record Run(int mentorships, int opened, int closed, int failed) {
    }

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    InteractionPipeline pipeline;

    @Inject
    AlongsideConfig config;

    /**
     * Looks at every active mentorship old enough to have a gap and every mentorship with an open alert. Runs as the
     * server; stops between mentorships when its thread is interrupted (the server is stopping).
     */
    public Run run(Instant now) {
        return pipeline.asServer(() -> runAsServer(now));
    }

    private Run runAsServer(Instant now) {
        StoreQueries queries = new StoreQueries(store, parser);
        Map<String, ServiceRequest> mentorships = new LinkedHashMap<>();
        // a threshold is at least a day: a mentorship younger than that has no gap yet, wherever it is
        String olderThanADay = "lt" + new DateTimeType(Date.from(now.minus(Duration.ofDays(1))),
                TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC")).getValueAsString();
        for (ServiceRequest active : queries.all("ServiceRequest", ServiceRequest.class, "status", "active",
                "code", SNOMED + "|" + REFERRAL_TO_PEER_SUPPORT, "occurrence", olderThanADay)) {
            mentorships.put(ref(active), active);
        }
        Map<String, List<Task>> open = new LinkedHashMap<>();
        for (Task alert : queries.all("Task", Task.class, "code", ENGAGEMENT_ALERT + "|" + NO_PEER_CONTACT,
                "status", OPEN)) {
            if (!CLOSED.contains(alert.getStatus()) && alert.getFocus().hasReference()) {
                open.computeIfAbsent(alert.getFocus().getReference(), f -> new ArrayList<>()).add(alert);
            }
        }
        Map<String, Integer> daysByOrganization = new HashMap<>();
        int opened = 0;
        int closed = 0;
        int failed = 0;
        List<String> all = new ArrayList<>(mentorships.keySet());
        open.keySet().stream().filter(m -> !mentorships.containsKey(m)).forEach(all::add);
        for (String mentorship : all) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                ServiceRequest request = mentorships.containsKey(mentorship) ? mentorships.get(mentorship)
                        : readQuietly(mentorship, ServiceRequest.class).orElse(null);
                List<Task> alerts = open.getOrDefault(mentorship, List.of());
                if (request == null || request.getStatus() != ServiceRequest.ServiceRequestStatus.ACTIVE) {
                    for (Task alert : alerts) {
                        closed += close(alert, Task.TaskStatus.CANCELLED, MENTORSHIP_ENDED, "The mentorship ended", now);
                    }
                    continue;
                }
                Reference patient = request.getSubject();
                List<Instant> contacts = contacts(queries, patient, mentorship);
                int days = daysFor(request, daysByOrganization);
                Optional<EngagementGap.Gap> gap = EngagementGap.due(mentorship, start(request), contacts, days, now);
                for (Task alert : alerts) {
                    // over once a contact after its start is recorded (a raised threshold leaves it open: no contact yet)
                    boolean resumed = gapStart(alert).map(s -> EngagementGap.contactSince(s, contacts, now))
                            .orElse(gap.isEmpty() || !gap.get().key().equals(keyOf(alert)));
                    if (resumed) {
                        closed += close(alert, Task.TaskStatus.COMPLETED, CONTACT_RESUMED, "Peer contact resumed", now);
                    }
                }
                if (gap.isPresent() && openAlert(gap.get(), request, patient, queries, now)) {
                    opened++;
                }
            } catch (BaseServerResponseException | IllegalArgumentException e) {
                // one record that cannot be handled (refused by validation, changed meanwhile) must not stop the run
                failed++;
                LOG.warning("Engagement alert for a mentorship not written: " + e.getClass().getSimpleName()
                        + " (status " + (e instanceof BaseServerResponseException b ? b.getStatusCode() : "-") + ")");
            }
        }
        return new Run(all.size(), opened, closed, failed);
    }

    /** Creates the gap's alert unless a Task with its identifier exists; true when this run created it. */
    private boolean openAlert(EngagementGap.Gap gap, ServiceRequest request, Reference patient, StoreQueries queries,
                              Instant now) {
        Task task = new Task()
                .setStatus(Task.TaskStatus.REQUESTED)
                .setIntent(Task.TaskIntent.ORDER)
                .setPriority(Task.TaskPriority.ROUTINE)
                .setCode(new CodeableConcept(new Coding(ENGAGEMENT_ALERT, NO_PEER_CONTACT, "No recent peer contact")))
                .setDescription("No peer contact for " + gap.days() + " days or more, since "
                        + LocalDate.ofInstant(gap.since(), ZoneOffset.UTC))
                .setFor(patient.copy())
                .setFocus(new Reference(gap.mentorship()))
                .setAuthoredOn(Date.from(now))
                .setLastModified(Date.from(now))
                .setExecutionPeriod(new Period().setStart(Date.from(now)));
        task.getMeta().addProfile(MentorshipCodes.PROFILE_ENGAGEMENT_ALERT);
        task.addIdentifier().setSystem(KEY_SYSTEM).setValue(gap.key());
        task.addInput().setType(new CodeableConcept(new Coding(ENGAGEMENT_ALERT, GAP_START, "Last contact or start")))
                .setValue(new DateTimeType(Date.from(gap.since()), TemporalPrecisionEnum.MILLI,
                        TimeZone.getTimeZone("UTC")));
        task.addInput().setType(new CodeableConcept(new Coding(ENGAGEMENT_ALERT, THRESHOLD_DAYS, "Threshold in days")))
                .setValue(new UnsignedIntType(gap.days()));
        CareTeamClinician.of(queries, patient).ifPresent(task::setOwner);
        organizationOf(request).ifPresent(org -> task.setRequester(new Reference(org)));
        var ifNoneExist = parser.parse("Task", Map.of("identifier", List.of(KEY_SYSTEM + "|" + gap.key())), null,
                false);
        return pipeline.create(task, Optional.of(ifNoneExist)).created();
    }

    /** Closes one alert on the version read; 1 when this run closed it. */
    private int close(Task alert, Task.TaskStatus status, String reason, String display, Instant now) {
        String id = alert.getIdElement().getIdPart();
        long version = alert.getIdElement().getVersionIdPartAsLong();
        alert.setStatus(status)
                .setStatusReason(new CodeableConcept(new Coding(ENGAGEMENT_ALERT, reason, display)))
                .setLastModified(Date.from(now));
        alert.getExecutionPeriod().setEnd(Date.from(now));
        pipeline.update("Task", id, alert, Optional.of(version));
        return 1;
    }

    /** The person's peer contacts: sessions, encouragement, the contact log and messages about this mentorship. */
    private List<Instant> contacts(StoreQueries queries, Reference patient, String mentorship) {
        List<Resource> records = new ArrayList<>();
        records.addAll(queries.all("Encounter", Encounter.class, "subject", patient.getReference(),
                "type", MentorshipCodes.HCPCS + "|" + MentorshipCodes.PEER_SERVICES));
        records.addAll(queries.all("Communication", Communication.class, "subject", patient.getReference(),
                "category", MESSAGE_CATEGORY + "|"));
        records.addAll(queries.all("Communication", Communication.class, "based-on", mentorship));
        return records.stream().map(PeerContacts::when).flatMap(Optional::stream).toList();
    }

    private static Instant start(ServiceRequest request) {
        if (request.hasOccurrencePeriod() && request.getOccurrencePeriod().hasStart()) {
            return request.getOccurrencePeriod().getStart().toInstant();
        }
        return request.getAuthoredOn().toInstant();
    }

    /** N of the peer's Organization (extension engagement-alert-days), else the configured default. */
    private int daysFor(ServiceRequest request, Map<String, Integer> cache) {
        return organizationOf(request).map(org -> cache.computeIfAbsent(org, o -> readQuietly(o, Organization.class)
                        .map(found -> found.getExtensionByUrl(MentorshipCodes.EXT_ENGAGEMENT_DAYS))
                        .filter(ext -> ext != null && ext.getValue() instanceof PositiveIntType n && n.getValue() != null)
                        .map(ext -> ((PositiveIntType) ext.getValue()).getValue())
                        .orElse(config.engagementDays())))
                .orElse(config.engagementDays());
    }

    /** The Organization of the peer the mentorship is with (PractitionerRole.organization). */
    private Optional<String> organizationOf(ServiceRequest request) {
        String peer = request.getPerformerFirstRep().getReference();
        if (peer == null || !peer.startsWith("PractitionerRole/")) {
            return Optional.empty();
        }
        return readQuietly(peer, PractitionerRole.class).map(PractitionerRole::getOrganization)
                .map(Reference::getReference).filter(org -> org != null && org.startsWith("Organization/"));
    }

    private static String keyOf(Task alert) {
        return alert.getIdentifier().stream().filter(i -> KEY_SYSTEM.equals(i.getSystem())).map(i -> i.getValue())
                .findFirst().orElse(null);
    }

    private static Optional<Instant> gapStart(Task alert) {
        return alert.getInput().stream()
                .filter(i -> i.getType().hasCoding(ENGAGEMENT_ALERT, GAP_START) && i.getValue() instanceof DateTimeType)
                .map(i -> ((DateTimeType) i.getValue()).getValue().toInstant()).findFirst();
    }

    private <T extends Resource> Optional<T> readQuietly(String reference, Class<T> type) {
        IdType id = new IdType(reference);
        if (!id.hasResourceType() || !id.hasIdPart() || id.isAbsolute()) {
            return Optional.empty();
        }
        try {
            Object found = store.read(id.getResourceType(), id.getIdPart());
            return type.isInstance(found) ? Optional.of(type.cast(found)) : Optional.empty();
        } catch (BaseServerResponseException gone) {
            return Optional.empty();
        }
    }

    private static String ref(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
