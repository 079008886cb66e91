package org.alongside.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.interaction.Searched;
import org.alongside.search.FhirIds;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.security.Part2Config;
import org.alongside.security.Part2Labels;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Gathers the sessions of a period and everything their billing depends on, every read a search through the
 * {@link InteractionPipeline} as the caller (so reach, scopes and Part 2 consent decide what the export can see),
 * applies {@link BillingExport}, and records the billed sessions as a disclosure for payment.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class BillingExportService {

    public static final String EXT_DAILY_UNIT_CAP = ChargeItems.BASE + "/StructureDefinition/billing-daily-unit-cap";
    static final String PAYMENT = "HPAYMT";
    private static final int PAGE = 500;
    /** References per search value list: keeps URLs and SQL IN-lists small. */
    private static final int CHUNK = 50;

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchRequestParser parser;

    @Inject
    BillingConfig config;

    @Inject
    Part2Config part2;

    /**
     * @param organizationId when given, only sessions whose peer holds a role at this Organization (the billing
     *                       provider), and its daily unit cap applies to all of them
     */
    public BillingExport.Result export(LocalDate start, LocalDate end, String organizationId, Instant now) {
        BillingPolicy policy = config.policy();
        List<Encounter> sessions = sessions(start, end, organizationId);
        BillingExport.Result result = BillingExport.build(facts(sessions, organizationId, policy, now), start, end,
                policy);
        Set<String> billed = new LinkedHashSet<>(ChargeItems.billedEncounters(result));
        pipeline.disclosed(PAYMENT, "Encounter", sessions.stream()
                .filter(e -> billed.contains(ref(e))).toList());
        return result;
    }

    // ---------------------------------------------------------------- the sessions

    /** Peer sessions whose period may fall in the period (a day's margin for time zones; the rules decide). */
    private List<Encounter> sessions(LocalDate start, LocalDate end, String organizationId) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("type", List.of(ChargeItems.HCPCS + "|H0038"));
        params.put("date", List.of("ge" + start.minusDays(1), "le" + end.plusDays(1)));
        params.put("status:not", List.of("entered-in-error"));
        if (organizationId == null) {
            return search("Encounter", Encounter.class, params);
        }
        pipeline.read("Organization", organizationId); // 404 for one the caller may not see
        List<String> roles = search("PractitionerRole", PractitionerRole.class,
                Map.of("organization", List.of("Organization/" + organizationId))).stream().map(this::ref).toList();
        List<Encounter> sessions = new ArrayList<>();
        for (List<String> chunk : SessionFacts.chunks(roles, CHUNK)) {
            Map<String, List<String>> byPeer = new LinkedHashMap<>(params);
            byPeer.put("participant", List.of(String.join(",", chunk)));
            for (Encounter found : search("Encounter", Encounter.class, byPeer)) {
                if (sessions.stream().noneMatch(e -> ref(e).equals(ref(found)))) {
                    sessions.add(found);
                }
            }
        }
        return sessions;
    }

    // ---------------------------------------------------------------- what billing depends on

    private List<BillableSession> facts(List<Encounter> sessions, String organizationId, BillingPolicy policy,
                                        Instant now) {
        if (sessions.isEmpty()) {
            return List.of();
        }
        List<String> sessionRefs = sessions.stream().map(this::ref).toList();
        // the notes, and the co-signatures of sessions and notes
        Map<String, Procedure> noteOf = new HashMap<>();
        for (Procedure note : byValues("Procedure", Procedure.class, "encounter", sessionRefs, Map.of())) {
            noteOf.putIfAbsent(FhirIds.withoutVersion(note.getEncounter().getReference()), note);
        }
        List<String> signable = new ArrayList<>(sessionRefs);
        noteOf.values().forEach(note -> signable.add(ref(note)));
        List<Provenance> signatures = byValues("Provenance", Provenance.class, "target", signable, Map.of());

        // the care plans, through the assignments the sessions are based on
        Set<String> requestIds = new LinkedHashSet<>();
        Set<String> planIds = new LinkedHashSet<>();
        sessions.forEach(s -> s.getBasedOn().forEach(r -> collect(r, "ServiceRequest", requestIds, "CarePlan", planIds)));
        Map<String, ServiceRequest> requests = byId("ServiceRequest", ServiceRequest.class, requestIds);
        requests.values().forEach(r -> r.getBasedOn().forEach(p -> collect(p, "CarePlan", planIds, null, null)));
        Map<String, CarePlan> plans = byId("CarePlan", CarePlan.class, planIds);

        // the people, the peers and supervisors, their practitioners and organizations
        Set<String> patientIds = new LinkedHashSet<>();
        sessions.forEach(s -> collect(s.getSubject(), "Patient", patientIds, null, null));
        Map<String, Patient> patients = byId("Patient", Patient.class, patientIds);
        Set<String> roleIds = new LinkedHashSet<>();
        Set<String> practitionerIds = new LinkedHashSet<>();
        sessions.forEach(s -> s.getParticipant().forEach(p -> collect(p.getIndividual(), "PractitionerRole", roleIds,
                "Practitioner", practitionerIds)));
        signatures.forEach(p -> p.getAgent().forEach(a -> collect(a.getWho(), "PractitionerRole", roleIds,
                "Practitioner", practitionerIds)));
        Map<String, PractitionerRole> roles = byId("PractitionerRole", PractitionerRole.class, roleIds);
        roles.values().forEach(r -> collect(r.getPractitioner(), "Practitioner", practitionerIds, null, null));
        Map<String, Practitioner> practitioners = byId("Practitioner", Practitioner.class, practitionerIds);
        Set<String> organizationIds = new LinkedHashSet<>();
        if (organizationId != null) {
            organizationIds.add(organizationId);
        } else {
            roles.values().forEach(r -> collect(r.getOrganization(), "Organization", organizationIds, null, null));
        }
        Map<String, Organization> organizations = byId("Organization", Organization.class, organizationIds);

        // consent to disclosure for payment, only where a Part 2 record needs it
        Set<String> part2Patients = new LinkedHashSet<>();
        sessions.stream().filter(Part2Labels::isPart2Record)
                .forEach(s -> collect(s.getSubject(), "Patient", part2Patients, null, null));
        Map<String, List<Consent>> consents = new HashMap<>();
        for (Consent consent : byValues("Consent", Consent.class, "patient",
                part2Patients.stream().map(id -> "Patient/" + id).toList(), Map.of("status", List.of("active")))) {
            consents.computeIfAbsent(FhirIds.withoutVersion(consent.getPatient().getReference()), k -> new ArrayList<>())
                    .add(consent);
        }

        Date today = Date.from(now);
        List<BillableSession> facts = new ArrayList<>();
        for (Encounter session : sessions) {
            String sessionRef = ref(session);
            Map<String, String> versions = new HashMap<>();
            versions.put(sessionRef, session.getIdElement().getVersionIdPart());
            Procedure note = noteOf.get(sessionRef);
            if (note != null) {
                versions.put(ref(note), note.getIdElement().getVersionIdPart());
            }
            SessionFacts.Signed signed = SessionFacts.coSignature(signatures, versions);
            String patient = FhirIds.withoutVersion(session.getSubject().getReference());
            Patient person = patients.get(patient);
            String peer = session.getParticipant().stream().map(p -> p.getIndividual().getReference())
                    .filter(r -> r != null && (r.startsWith("PractitionerRole/") || r.startsWith("Practitioner/")))
                    .map(FhirIds::withoutVersion).findFirst().orElse(null);
            PractitionerRole peerRole = roles.get(peer);
            List<String> diagnoses = planOf(session, requests, plans).map(SessionFacts::diagnoses).orElse(List.of());
            String organization = organizationId != null ? "Organization/" + organizationId
                    : peerRole == null ? null : FhirIds.withoutVersion(peerRole.getOrganization().getReference());
            facts.add(new BillableSession(sessionRef, patient, SessionFacts.name(person),
                    SessionFacts.identifier(person), session.getPeriod().getStart() == null ? null
                    : session.getPeriod().getStart().toInstant(), session.getPeriod().getEnd() == null ? null
                    : session.getPeriod().getEnd().toInstant(),
                    session.getStatus() == Encounter.EncounterStatus.FINISHED, SessionFacts.modality(session),
                    session.getType().stream().anyMatch(t -> t.hasCoding(ChargeItems.HCPCS, BillingPolicy.GROUP_MODIFIER)),
                    peer, npiOf(peer, roles, practitioners), signed.state(),
                    signed.supervisor() == null ? null : FhirIds.withoutVersion(signed.supervisor()),
                    npiOf(signed.supervisor(), roles, practitioners), diagnoses, Part2Labels.isPart2Record(session),
                    SessionFacts.permitsPayment(consents.getOrDefault(patient, List.of()), today, part2::isProgramClient),
                    dailyCap(organization, organizations, policy)));
        }
        return facts;
    }

    private static java.util.Optional<CarePlan> planOf(Encounter session, Map<String, ServiceRequest> requests,
                                                       Map<String, CarePlan> plans) {
        for (Reference basedOn : session.getBasedOn()) {
            String target = basedOn.getReference() == null ? "" : FhirIds.withoutVersion(basedOn.getReference());
            if (plans.containsKey(target)) {
                return java.util.Optional.of(plans.get(target));
            }
            ServiceRequest request = requests.get(target);
            if (request != null) {
                for (Reference plan : request.getBasedOn()) {
                    CarePlan found = plan.getReference() == null ? null
                            : plans.get(FhirIds.withoutVersion(plan.getReference()));
                    if (found != null) {
                        return java.util.Optional.of(found);
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The NPI of a PractitionerRole's Practitioner, or of a Practitioner. */
    private static String npiOf(String reference, Map<String, PractitionerRole> roles,
                                Map<String, Practitioner> practitioners) {
        if (reference == null) {
            return null;
        }
        String plain = FhirIds.withoutVersion(reference);
        PractitionerRole role = roles.get(plain);
        String practitioner = role == null ? plain : role.getPractitioner().getReference() == null ? null
                : FhirIds.withoutVersion(role.getPractitioner().getReference());
        return practitioner == null ? null : SessionFacts.npi(practitioners.get(practitioner));
    }

    private static int dailyCap(String organization, Map<String, Organization> organizations, BillingPolicy policy) {
        Organization found = organization == null ? null : organizations.get(organization);
        var extension = found == null ? null : found.getExtensionByUrl(EXT_DAILY_UNIT_CAP);
        if (extension != null && extension.getValue() instanceof IntegerType cap && cap.getValue() != null
                && cap.getValue() > 0) {
            return cap.getValue();
        }
        if (extension != null && extension.getValue() instanceof PositiveIntType cap && cap.getValue() != null) {
            return cap.getValue();
        }
        return policy.defaultDailyUnitCap();
    }

    // ---------------------------------------------------------------- searches, as the caller

    /** Collects the id of a reference of the first (or second) type into the set for that type. */
    private static void collect(Reference reference, String type, Set<String> ids, String otherType,
                                Set<String> otherIds) {
        String value = reference == null ? null : reference.getReference();
        if (value == null) {
            return;
        }
        String plain = FhirIds.withoutVersion(value);
        if (plain.startsWith(type + "/")) {
            ids.add(FhirIds.idPart(plain));
        } else if (otherType != null && plain.startsWith(otherType + "/")) {
            otherIds.add(FhirIds.idPart(plain));
        }
    }

    private <T extends IBaseResource> Map<String, T> byId(String type, Class<T> resultClass, Set<String> ids) {
        Map<String, T> found = new HashMap<>();
        for (List<String> chunk : SessionFacts.chunks(new ArrayList<>(ids), CHUNK)) {
            search(type, resultClass, Map.of("_id", List.of(String.join(",", chunk))))
                    .forEach(r -> found.put(ref(r), r));
        }
        return found;
    }

    private <T extends IBaseResource> List<T> byValues(String type, Class<T> resultClass, String param,
                                                       List<String> values, Map<String, List<String>> more) {
        List<T> found = new ArrayList<>();
        for (List<String> chunk : SessionFacts.chunks(values, CHUNK)) {
            Map<String, List<String>> params = new LinkedHashMap<>(more);
            params.put(param, List.of(String.join(",", chunk)));
            found.addAll(search(type, resultClass, params));
        }
        return found;
    }

    /** Every match the caller may see, page by page through the pipeline. */
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
