package org.alongside.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.alongside.billing.BillingConfig;
import org.alongside.billing.BillingPolicy;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.interaction.Searched;
import org.alongside.mentorship.EscalationService;
import org.alongside.mentorship.MentorshipCodes;
import org.alongside.mentorship.PeerContacts;
import org.alongside.mentorship.RecoveryCapital;
import org.alongside.search.FhirIds;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.security.Part2Labels;
import org.alongside.supervision.SupervisionHours;
import org.alongside.supervision.SupervisionSessions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Gathers a program's records and computes its report. The reader of the report (a program director) may read no
 * record about a person, so the records are read through the {@link InteractionPipeline} as the server, inside the
 * one door (validation, labels and storage as for every read), and nothing of them leaves this class but counts:
 * {@link Report} holds figures per Organization and per PractitionerRole, and the keys of people never leave
 * {@link ProgramFacts}. Who may run the report is {@code security.OperationAccess}'s rule, checked before this runs.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ProgramReportService {

    public static final String ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement";
    private static final int PAGE = 500;
    private static final int CHUNK = 50;

    /** One program (an Organization) and its peers: references and display names of staff, no one in care. */
    public record Program(String organization, String name, Map<String, String> peers) {
    }

    /** The figures of each program and of each of its peers, month by month. */
    public record Report(List<Program> programs, Map<String, List<MonthlyFigures>> byProgram,
                         Map<String, List<MonthlyFigures>> byPeer) {
    }

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchRequestParser parser;

    @Inject
    BillingConfig billing;

    /**
     * @param organizationId one program, or null for every Organization with peer specialists
     * @param countPart2     false to leave out records labelled as 42 CFR Part 2 (a reader outside the program)
     */
    public Report run(YearMonth first, YearMonth last, String organizationId, boolean countPart2) {
        BillingPolicy policy = billing.policy();
        ProgramReport rules = new ProgramReport(policy.zone(), policy.units());
        Instant end = last.plusMonths(1).atDay(1).atStartOfDay(policy.zone()).toInstant();
        Predicate<IBaseResource> counted = r -> countPart2 || !Part2Labels.isPart2Record(r);
        return pipeline.asServer(() -> {
            List<Program> programs = programs(organizationId);
            Set<String> peers = new LinkedHashSet<>();
            programs.forEach(p -> peers.addAll(p.peers().keySet()));
            ProgramFacts facts = facts(new ArrayList<>(peers), end, counted);
            Map<String, List<MonthlyFigures>> byProgram = new LinkedHashMap<>();
            Map<String, List<MonthlyFigures>> byPeer = new LinkedHashMap<>();
            List<YearMonth> months = ProgramReport.months(first, last);
            for (Program program : programs) {
                byProgram.put(program.organization(), months.stream()
                        .map(m -> rules.figures(facts, program.peers().keySet(), m)).toList());
                for (String peer : program.peers().keySet()) {
                    byPeer.put(peer, months.stream().map(m -> rules.figures(facts, Set.of(peer), m)).toList());
                }
            }
            return new Report(programs, byProgram, byPeer);
        });
    }

    // ---------------------------------------------------------------- the programs and their peers

    /**
     * One program, or every Organization where peer specialists hold a role: one search for the peers' roles (by
     * organization, or all of them), then their Organizations by id.
     */
    private List<Program> programs(String organizationId) {
        Map<String, List<String>> criteria = new LinkedHashMap<>();
        criteria.put("role", List.of(MentorshipCodes.NUCC + "|" + MentorshipCodes.PEER_SPECIALIST));
        List<Organization> organizations;
        if (organizationId != null) {
            organizations = List.of((Organization) pipeline.read("Organization", organizationId));
            criteria.put("organization", List.of("Organization/" + organizations.get(0).getIdElement().getIdPart()));
        } else {
            organizations = null;
        }
        Map<String, Map<String, String>> peersByOrganization = new LinkedHashMap<>();
        search("PractitionerRole", PractitionerRole.class, criteria).stream()
                .filter(role -> role.getOrganization().getReference() != null)
                .sorted(Comparator.comparing(this::ref))
                .forEach(role -> peersByOrganization.computeIfAbsent(
                                FhirIds.withoutVersion(role.getOrganization().getReference()), o -> new LinkedHashMap<>())
                        .put(ref(role), role.getPractitioner().getDisplay()));
        if (organizations == null) {
            List<String> ids = peersByOrganization.keySet().stream().filter(r -> r.startsWith("Organization/"))
                    .map(FhirIds::idPart).toList();
            organizations = byValues("Organization", Organization.class, "_id", ids, Map.of()).stream()
                    .sorted(Comparator.comparing(this::ref)).toList();
        }
        List<Program> programs = new ArrayList<>();
        for (Organization organization : organizations) {
            String ref = ref(organization);
            programs.add(new Program(ref, organization.getName(), peersByOrganization.getOrDefault(ref, Map.of())));
        }
        return programs;
    }

    // ---------------------------------------------------------------- the facts

    private ProgramFacts facts(List<String> peers, Instant end, Predicate<IBaseResource> counted) {
        if (peers.isEmpty()) {
            return ProgramFacts.none();
        }
        List<ProgramFacts.Mentorship> mentorships = new ArrayList<>();
        for (ServiceRequest request : byValues("ServiceRequest", ServiceRequest.class, "performer", peers,
                Map.of("code", List.of(MentorshipCodes.SNOMED + "|" + MentorshipCodes.REFERRAL_TO_PEER_SUPPORT)))) {
            mentorship(request).ifPresent(mentorships::add);
        }
        List<ProgramFacts.Session> sessions = new ArrayList<>();
        List<ProgramFacts.Contact> contacts = new ArrayList<>();
        for (Encounter session : byValues("Encounter", Encounter.class, "participant", peers,
                Map.of("type", List.of(MentorshipCodes.HCPCS + "|" + MentorshipCodes.PEER_SERVICES)))) {
            String peer = peerOf(session, peers);
            String mentee = patient(session.getSubject());
            if (!counted.test(session) || peer == null || mentee == null) {
                continue;
            }
            PeerContacts.when(session).ifPresent(when -> contacts.add(new ProgramFacts.Contact(peer, mentee, when)));
            if (session.getStatus() == Encounter.EncounterStatus.FINISHED && session.getPeriod().hasStart()
                    && session.getPeriod().hasEnd()) {
                sessions.add(new ProgramFacts.Session(peer, mentee, session.getPeriod().getStart().toInstant(),
                        session.getPeriod().getEnd().toInstant()));
            }
        }
        for (Communication message : byValues("Communication", Communication.class, "sender", peers, Map.of())) {
            String peer = FhirIds.withoutVersion(message.getSender().getReference());
            String mentee = message.hasSubject() ? patient(message.getSubject())
                    : message.getRecipient().stream().map(ProgramReportService::patient).filter(p -> p != null)
                    .findFirst().orElse(null);
            if (counted.test(message) && mentee != null) {
                PeerContacts.when(message).ifPresent(w -> contacts.add(new ProgramFacts.Contact(peer, mentee, w)));
            }
        }
        List<String> mentees = mentorships.stream().map(m -> "Patient/" + m.mentee()).distinct().toList();
        List<ProgramFacts.Goal> goals = new ArrayList<>();
        for (Goal goal : byValues("Goal", Goal.class, "subject", mentees, Map.of())) {
            achieved(goal).filter(w -> counted.test(goal) && w.isBefore(end))
                    .ifPresent(w -> goals.add(new ProgramFacts.Goal(patient(goal.getSubject()), w)));
        }
        List<ProgramFacts.Score> scores = new ArrayList<>();
        for (Observation score : byValues("Observation", Observation.class, "subject", mentees,
                Map.of("code", List.of(RecoveryCapital.CODE_SYSTEM + "|" + RecoveryCapital.TOTAL)))) {
            if (counted.test(score)) {
                String mentee = patient(score.getSubject());
                RecoveryCapital.points(List.of(score)).forEach(p -> scores.add(
                        new ProgramFacts.Score(mentee, p.when().toInstant(), p.score())));
            }
        }
        List<ProgramFacts.Escalation> escalations = new ArrayList<>();
        for (Task task : byValues("Task", Task.class, "requester", peers,
                Map.of("code", List.of(MentorshipCodes.CRISIS_SUPPORT + "|" + EscalationService.WORRIED)))) {
            String mentee = patient(task.getFor());
            if (counted.test(task) && task.hasAuthoredOn() && mentee != null
                    && task.getStatus() != Task.TaskStatus.ENTEREDINERROR) {
                escalations.add(new ProgramFacts.Escalation(FhirIds.withoutVersion(task.getRequester().getReference()),
                        mentee, task.getAuthoredOn().toInstant()));
            }
        }
        List<SupervisionHours.Session> supervision = new ArrayList<>();
        for (Encounter session : byValues("Encounter", Encounter.class, "participant", peers,
                Map.of("type", List.of(SupervisionSessions.SUPERVISION + "|" + SupervisionSessions.SESSION)))) {
            if (session.getStatus() != Encounter.EncounterStatus.ENTEREDINERROR && session.getPeriod().hasStart()) {
                SupervisionSessions.superviseeOf(session).ifPresent(peer -> supervision.add(new SupervisionHours.Session(
                        peer, session.getPeriod().getStart().toInstant(),
                        SupervisionSessions.minutesOf(session).orElse(0))));
            }
        }
        return new ProgramFacts(mentorships, sessions, contacts, goals, scores, escalations, supervision);
    }

    /** An assignment that happened (not a draft or an error), from its start to its end if it ended. */
    private static Optional<ProgramFacts.Mentorship> mentorship(ServiceRequest request) {
        ServiceRequest.ServiceRequestStatus status = request.getStatus();
        if (status == null || status == ServiceRequest.ServiceRequestStatus.DRAFT
                || status == ServiceRequest.ServiceRequestStatus.ENTEREDINERROR
                || !request.hasOccurrencePeriod() || !request.getOccurrencePeriod().hasStart()) {
            return Optional.empty();
        }
        String peer = request.getPerformer().stream().map(Reference::getReference)
                .filter(r -> r != null && r.startsWith("PractitionerRole/")).map(FhirIds::withoutVersion)
                .findFirst().orElse(null);
        String mentee = patient(request.getSubject());
        if (peer == null || mentee == null) {
            return Optional.empty();
        }
        Date ended = request.getOccurrencePeriod().getEnd();
        Instant start = request.getOccurrencePeriod().getStart().toInstant();
        Instant end = ended != null ? ended.toInstant()
                : status == ServiceRequest.ServiceRequestStatus.ACTIVE || status == ServiceRequest.ServiceRequestStatus.ONHOLD
                ? null : start;
        return Optional.of(new ProgramFacts.Mentorship(peer, mentee, start, end));
    }

    /**
     * When a goal was achieved: its status date, else the time of its latest note (the app dates each update with
     * one), else when it was last changed. Empty when it is not achieved.
     */
    static Optional<Instant> achieved(Goal goal) {
        boolean achieved = goal.getAchievementStatus().getCoding().stream()
                .anyMatch(c -> ACHIEVEMENT.equals(c.getSystem()) && "achieved".equals(c.getCode()));
        if (!achieved || goal.getLifecycleStatus() == Goal.GoalLifecycleStatus.ENTEREDINERROR) {
            return Optional.empty();
        }
        if (goal.hasStatusDate()) {
            return Optional.of(goal.getStatusDate().toInstant());
        }
        Optional<Instant> note = goal.getNote().stream().filter(Annotation::hasTime).map(n -> n.getTime().toInstant())
                .max(Comparator.naturalOrder());
        if (note.isPresent()) {
            return note;
        }
        return Optional.ofNullable(goal.getMeta().getLastUpdated()).map(Date::toInstant);
    }

    private static String peerOf(Encounter session, List<String> peers) {
        return session.getParticipant().stream().map(p -> p.getIndividual().getReference())
                .filter(r -> r != null).map(FhirIds::withoutVersion).filter(peers::contains).findFirst().orElse(null);
    }

    /** The id of a Patient reference, or null: the key of a mentee inside the computation. */
    private static String patient(Reference reference) {
        String value = reference == null ? null : reference.getReference();
        return value != null && value.startsWith("Patient/") ? FhirIds.idPart(FhirIds.withoutVersion(value)) : null;
    }

    // ---------------------------------------------------------------- searches through the pipeline

    private <T extends IBaseResource> List<T> byValues(String type, Class<T> resultClass, String param,
                                                       List<String> values, Map<String, List<String>> more) {
        List<T> found = new ArrayList<>();
        for (int i = 0; i < values.size(); i += CHUNK) {
            Map<String, List<String>> params = new LinkedHashMap<>(more);
            params.put(param, List.of(String.join(",", values.subList(i, Math.min(values.size(), i + CHUNK)))));
            found.addAll(search(type, resultClass, params));
        }
        return found;
    }

    private <T extends IBaseResource> List<T> search(String type, Class<T> resultClass,
                                                     Map<String, List<String>> criteria) {
        Map<String, List<String>> params = new LinkedHashMap<>(criteria);
        params.put("_count", List.of(Integer.toString(PAGE)));
        params.put("_total", List.of("none"));
        SearchQuery query = parser.parse(type, params, null, false);
        List<T> results = new ArrayList<>();
        while (true) {
            Searched page = pipeline.search(query, List.of());
            page.matches().forEach(r -> results.add(resultClass.cast(r)));
            if (page.next() == null) {
                return results;
            }
            query = query.at(page.next());
        }
    }

    private String ref(IBaseResource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
