package org.alongside.security;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.alongside.search.FhirIds;
import org.alongside.index.IndexedValues;
import org.alongside.index.SearchIndexExtractor;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.alongside.supervision.SupervisionSessions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * Decides, per request, what the caller may do: scope (SMART), role ({@link AccessRules}), whose records
 * (the patients on whose active care teams the caller serves, or everyone for EHR systems) and, for peer
 * specialists' logs, authorship. Every refusal is a 403 with a reason that names no patient data.
 */
@ApplicationScoped
public class AccessGuard {

    private static final String SUPERVISED_BY = "http://alongside.health/fhir/StructureDefinition/supervised-by";

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    SearchParamRegistry registry;

    @Inject
    SearchIndexExtractor extractor;

    @Inject
    Part2Config part2;

    @Inject
    ConsentDirective consents;

    /** May the caller do this interaction on this type at all? Returns the scope context that allows it. */
    public ScopeSet.Context requireInteraction(RequestAccess access, String type, Interaction interaction) {
        Caller caller = access.caller();
        if (AccessRules.kindOf(type) == AccessRules.Kind.CONFORMANCE
                && (interaction == Interaction.READ || interaction == Interaction.SEARCH)) {
            return ScopeSet.Context.SYSTEM;
        }
        ScopeSet.Context context = caller.scopes().widestPermitting(type, interaction).orElseThrow(() ->
                forbidden("The token's scopes do not allow " + name(interaction) + " on " + type));
        if (!AccessRules.roleAllows(caller.roles(), type, interaction)) {
            throw forbidden("Role " + roles(caller) + " may not " + name(interaction) + " " + type);
        }
        if (AccessRules.kindOf(type) == AccessRules.Kind.AUDIT) {
            requireWholeAuditTrail(caller, context);
        }
        return context;
    }

    /**
     * The audit trail names every person and record of the program: it is read with a user or system grant only (a
     * patient-context token reaches one person, and the trail is not filtered by person), and in Part 2 mode only
     * from inside the program, since even that someone is a patient of the program is Part 2 information.
     */
    private void requireWholeAuditTrail(Caller caller, ScopeSet.Context context) {
        if (context == ScopeSet.Context.PATIENT) {
            throw forbidden("The audit trail is read with user or system scopes, not a patient launch");
        }
        if (part2.enabled() && part2.isOutsideRecipient(caller)) {
            throw forbidden("The audit trail is not offered to recipients outside the Part 2 program");
        }
    }

    /** Whose records the caller may touch with a grant in the given scope context. */
    public PatientScope patientScope(RequestAccess access, ScopeSet.Context context) {
        Caller caller = access.caller();
        PatientScope base = context == ScopeSet.Context.SYSTEM || caller.seesAllPatients()
                ? PatientScope.EVERYONE : access.reach(this::resolveReach);
        if (context == ScopeSet.Context.PATIENT) {
            return caller.launchPatient().map(p -> base.narrowTo(FhirIds.idPart(p))).orElse(PatientScope.of(Set.of()));
        }
        return base;
    }

    /** Checks one record against the caller: interaction, whose record it is, and authorship of peer logs. */
    public void requireRecord(RequestAccess access, IBaseResource resource, Interaction interaction) {
        if (SupervisionSessions.isSupervisionSession(resource)) {
            requireSupervisionRecord(access, (Encounter) resource, interaction);
            return;
        }
        String type = resource.fhirType();
        ScopeSet.Context context = requireInteraction(access, type, interaction);
        if (AccessRules.kindOf(type) != AccessRules.Kind.PATIENT_DATA) {
            return;
        }
        Set<String> patients = patientsOf(resource);
        if (!patientScope(access, context).covers(patients)) {
            throw forbidden("This " + type + " belongs to a person outside the caller's care relationships");
        }
        Caller caller = access.caller();
        if (interaction == Interaction.READ && part2.enabled() && Part2Labels.isPart2Record(resource)
                && part2.isOutsideRecipient(caller) && patients.stream().noneMatch(patient -> consents.permits(
                        patient, caller, caller.purposeOfUse(), Part2Labels.isCounselingNote(resource)))) {
            throw forbidden("This " + type + " is protected by 42 CFR Part 2: no active consent of the person "
                    + "permits disclosing it to this recipient for purpose " + caller.purposeOfUse());
        }
        boolean write = interaction == Interaction.CREATE || interaction == Interaction.UPDATE
                || interaction == Interaction.DELETE;
        if (write && !caller.seesAllPatients() && !caller.has(Role.CLINICIAN)) {
            Set<String> authors = authorsOf(resource);
            if (!authors.isEmpty() || !"Goal".equals(type)) {
                Set<String> members = access.members(this::resolveMembers);
                if (authors.stream().noneMatch(members::contains)) {
                    throw forbidden("Only the author of this " + type + " may write it");
                }
            }
            if (interaction != Interaction.DELETE) {
                AccessRules.escalationRefusal(resource).ifPresent(reason -> {
                    throw forbidden(reason);
                });
            }
        }
    }

    /**
     * A supervision session is about a peer specialist, not a person in care (docs/security.md, "Supervision
     * sessions"): the supervisor who held it reads it, and writes it only while they supervise the peer (the peer's
     * role names one of the supervisor's roles in {@code supervised-by}); the peer supervised reads it; EHR systems
     * reach all; nobody else, whatever care team they share. A patient launch reaches no staff record.
     */
    private void requireSupervisionRecord(RequestAccess access, Encounter session, Interaction interaction) {
        Caller caller = access.caller();
        ScopeSet.Context context = caller.scopes().widestPermitting("Encounter", interaction).orElseThrow(() ->
                forbidden("The token's scopes do not allow " + name(interaction) + " on Encounter"));
        if (context == ScopeSet.Context.PATIENT) {
            throw forbidden("A supervision session is a staff record: a patient launch does not reach it");
        }
        if (!AccessRules.supervisionAllows(caller.roles(), interaction)) {
            throw forbidden("Role " + roles(caller) + " may not " + name(interaction) + " supervision sessions");
        }
        if (caller.has(Role.EHR_SYSTEM)) {
            return;
        }
        Set<String> members = access.members(this::resolveMembers);
        Optional<String> supervisor = SupervisionSessions.supervisorOf(session);
        Optional<String> peer = SupervisionSessions.superviseeOf(session);
        boolean read = interaction == Interaction.READ || interaction == Interaction.SEARCH;
        if (caller.has(Role.SUPERVISOR) && supervisor.filter(members::contains).isPresent()) {
            if (read || peer.filter(p -> supervises(members, p)).isPresent()) {
                return;
            }
            throw forbidden("A supervisor records supervision sessions only with a peer specialist they supervise");
        }
        if (read && caller.has(Role.PEER_SPECIALIST) && peer.filter(members::contains).isPresent()) {
            return;
        }
        throw forbidden("Only the supervisor who held a supervision session and the peer supervised may "
                + (read ? "see" : "record") + " it");
    }

    /** Does the peer's role, in force, name one of the caller's roles as its supervisor? */
    private boolean supervises(Set<String> members, String peerRole) {
        String[] parts = peerRole.split("/");
        if (parts.length != 2 || !"PractitionerRole".equals(parts[0])) {
            return false;
        }
        Optional<IBaseResource> found = store.find(parts[0], parts[1]);
        if (found.isEmpty() || !(found.get() instanceof PractitionerRole role) || !inForce(role, new Date())) {
            return false;
        }
        return role.getExtensionsByUrl(SUPERVISED_BY).stream()
                .map(e -> e.getValue() instanceof Reference r ? r.getReference() : null)
                .anyMatch(r -> r != null && members.contains(FhirIds.withoutVersion(r)));
    }

    /** Is the record visible to the caller (for filtering bundles)? Never throws for a denial. */
    public boolean canSee(RequestAccess access, IBaseResource resource) {
        try {
            requireRecord(access, resource, Interaction.READ);
            return true;
        } catch (ForbiddenOperationException e) {
            return false;
        }
    }

    /**
     * The search as the caller may run it: criteria that keep only records of the patients they reach are
     * added, so totals and paging count only what they may see. Empty when nothing at all may match.
     */
    public Optional<SearchQuery> restrict(RequestAccess access, SearchQuery query) {
        String type = query.resourceType();
        ScopeSet.Context context = requireInteraction(access, type, Interaction.SEARCH);
        requireLinkedSearches(access, query);
        if (AccessRules.kindOf(type) != AccessRules.Kind.PATIENT_DATA) {
            return Optional.of(query);
        }
        PatientScope scope = patientScope(access, context);
        if (scope.everyone()) {
            return Optional.of(query);
        }
        if (isSupervisionSearch(query)) {
            return restrictSupervision(access, query, context);
        }
        if (scope.patientIds().isEmpty()) {
            return Optional.empty();
        }
        String ids = String.join(",", scope.patientIds().stream().sorted().map(id -> "Patient/" + id).toList());
        Map<String, List<String>> restriction = new LinkedHashMap<>();
        switch (type) {
            case "Patient":
                restriction.put("_id", List.of(String.join(",", scope.patientIds())));
                break;
            case "Provenance":
                // co-signatures point at the session, not the person
                restriction.put("target:Encounter.patient", List.of(ids));
                break;
            default:
                restriction.put("patient", List.of(ids));
        }
        List<SearchQuery.Criterion> criteria = new ArrayList<>(query.criteria());
        criteria.addAll(parser.parse(type, restriction, null, false).criteria());
        return Optional.of(new SearchQuery(type, criteria, query.sort(), query.count(),
                query.cursor(), query.total(), query.countOnly()));
    }

    /**
     * A search for supervision sessions ({@code Encounter?type=supervision|supervision-session}): they belong to no
     * person, so the person-based restriction would find none; instead only sessions the caller took part in can
     * match, and each is then checked by {@link #requireSupervisionRecord}. A patient launch finds none.
     */
    private Optional<SearchQuery> restrictSupervision(RequestAccess access, SearchQuery query,
                                                      ScopeSet.Context context) {
        Set<String> members = access.members(this::resolveMembers);
        if (context == ScopeSet.Context.PATIENT || members.isEmpty()) {
            return Optional.empty();
        }
        List<SearchQuery.Criterion> criteria = new ArrayList<>(query.criteria());
        criteria.addAll(parser.parse("Encounter", Map.of("participant",
                List.of(String.join(",", members.stream().sorted().toList()))), null, false).criteria());
        return Optional.of(new SearchQuery(query.resourceType(), criteria, query.sort(), query.count(),
                query.cursor(), query.total(), query.countOnly()));
    }

    /** An Encounter search whose {@code type} criterion asks for supervision sessions only. */
    static boolean isSupervisionSearch(SearchQuery query) {
        if (!"Encounter".equals(query.resourceType())) {
            return false;
        }
        return query.criteria().stream().anyMatch(c -> c instanceof SearchQuery.ParamCriterion p
                && "type".equals(p.param().name()) && p.modifier() == SearchQuery.Modifier.NONE && !p.anyOf().isEmpty()
                && p.anyOf().stream().allMatch(v -> v instanceof SearchQuery.TokenValue token
                && SupervisionSessions.SUPERVISION.equals(token.system())
                && SupervisionSessions.SESSION.equals(token.code())));
    }

    /**
     * Chained and {@code _has} criteria look into other types: the caller must be allowed to search those too, and a
     * caller whose results are filtered record by record (Part 2 consent) may not look into patient records through
     * them at all, since a match there would tell what the filter hides ("who has a peer support session").
     */
    private void requireLinkedSearches(RequestAccess access, SearchQuery query) {
        for (SearchQuery.Criterion criterion : query.criteria()) {
            List<String> linked = criterion instanceof SearchQuery.ChainCriterion chain
                    ? chain.targets().stream().map(target -> target.param().resourceType()).toList()
                    : criterion instanceof SearchQuery.HasCriterion has
                    ? List.of(has.source().param().resourceType()) : List.of();
            for (String linkedType : linked) {
                requireInteraction(access, linkedType, Interaction.SEARCH);
                if (!"Patient".equals(linkedType) && filtersRecords(access, linkedType)) {
                    throw forbidden("Chained and _has searches into " + linkedType + " records are not offered to "
                            + "recipients outside the Part 2 program; search " + linkedType + " itself");
                }
            }
        }
    }

    /** Whether records the caller may search can still be hidden one by one (Part 2 consent, decided per record). */
    boolean filtersRecords(RequestAccess access, String type) {
        return part2.enabled() && part2.isOutsideRecipient(access.caller())
                && AccessRules.kindOf(type) == AccessRules.Kind.PATIENT_DATA;
    }

    /** The patients a record belongs to (the compartment it sits in). */
    public Set<String> patientsOf(IBaseResource resource) {
        String type = resource.fhirType();
        Set<String> patients = new HashSet<>();
        if ("Patient".equals(type)) {
            if (resource.getIdElement().getIdPart() != null) {
                patients.add(resource.getIdElement().getIdPart());
            }
            return patients;
        }
        if (resource instanceof Provenance) {
            for (Reference target : ((Provenance) resource).getTarget()) {
                String ref = target.getReference();
                if (ref == null || !ref.contains("/")) {
                    continue;
                }
                String[] parts = ref.split("/");
                if ("Patient".equals(parts[0])) {
                    patients.add(parts[1]);
                } else if (registry.supportsType(parts[0]) && !"Provenance".equals(parts[0])) {
                    // find(), not read(): a target that no longer exists ties the Provenance to nobody
                    store.find(parts[0], parts[1]).ifPresent(found -> patients.addAll(patientsOf(found)));
                }
            }
            return patients;
        }
        registry.find(type, "patient").ifPresent(param -> {
            for (IndexedValues.Ref ref : extractor.references(resource, param)) {
                if ("Patient".equals(ref.targetType()) && ref.targetId() != null) {
                    patients.add(ref.targetId());
                }
            }
        });
        return patients;
    }

    /** Who wrote a peer log: the references that must include the caller for them to edit it. */
    static Set<String> authorsOf(IBaseResource resource) {
        Set<String> authors = new HashSet<>();
        if (resource instanceof Encounter) {
            ((Encounter) resource).getParticipant().forEach(p -> add(authors, p.getIndividual()));
        } else if (resource instanceof Procedure) {
            ((Procedure) resource).getPerformer().forEach(p -> add(authors, p.getActor()));
        } else if (resource instanceof Communication) {
            add(authors, ((Communication) resource).getSender());
        } else if (resource instanceof Provenance) {
            ((Provenance) resource).getAgent().forEach(a -> add(authors, a.getWho()));
        } else if (resource instanceof Task task) {
            add(authors, task.getRequester());
        } else if (resource instanceof Flag flag) {
            add(authors, flag.getAuthor());
        } else if (resource instanceof QuestionnaireResponse response) {
            add(authors, response.getAuthor());
        } else if (resource instanceof Observation observation) {
            observation.getPerformer().forEach(p -> add(authors, p));
        }
        return authors;
    }

    private static void add(Set<String> into, Reference reference) {
        if (reference != null && reference.getReference() != null) {
            into.add(FhirIds.withoutVersion(reference.getReference()));
        }
    }

    /**
     * The caller's own references: fhirUser, and the PractitionerRoles of that Practitioner that are in force now.
     * A role that was deactivated or deleted stands for no one, so it reaches no one any more; a fhirUser that
     * names an inactive or deleted record does not either.
     */
    Set<String> resolveMembers(Caller caller) {
        Set<String> members = new HashSet<>();
        Date now = new Date();
        caller.fhirUser().map(FhirIds::withoutVersion).ifPresent(user -> {
            String[] parts = user.split("/");
            if (parts.length != 2 || !registry.supportsType(parts[0])) {
                return;
            }
            Optional<IBaseResource> self = store.find(parts[0], parts[1]);
            if (self.isEmpty() || !inForce(self.get(), now)) {
                return;
            }
            members.add(user);
            if (user.startsWith("Practitioner/")) {
                for (PractitionerRole role : queries().all("PractitionerRole", PractitionerRole.class,
                        "practitioner", user)) {
                    if (inForce(role, now)) {
                        members.add("PractitionerRole/" + role.getIdElement().getIdPart());
                    }
                }
            }
        });
        return members;
    }

    /** A Practitioner or PractitionerRole not marked inactive, and a role within its period. */
    static boolean inForce(IBaseResource record, Date now) {
        if (record instanceof PractitionerRole role) {
            boolean inPeriod = (!role.getPeriod().hasStart() || !role.getPeriod().getStart().after(now))
                    && (!role.getPeriod().hasEnd() || role.getPeriod().getEnd().after(now));
            return (!role.hasActive() || role.getActive()) && inPeriod;
        }
        if (record instanceof org.hl7.fhir.r4.model.Practitioner practitioner) {
            return !practitioner.hasActive() || practitioner.getActive();
        }
        return true;
    }

    /** Patients on whose active care teams one of the caller's references serves now. */
    private PatientScope resolveReach(RequestAccess access) {
        Set<String> members = access.members(this::resolveMembers);
        if (members.isEmpty()) {
            return PatientScope.of(Set.of());
        }
        Set<String> patients = new HashSet<>();
        Date now = new Date();
        for (CareTeam team : queries().all("CareTeam", CareTeam.class, "participant",
                String.join(",", members.stream().sorted().toList()), "status", "active")) {
            boolean serving = team.getParticipant().stream().anyMatch(p -> p.getMember().getReference() != null
                    && members.contains(FhirIds.withoutVersion(p.getMember().getReference()))
                    && (!p.getPeriod().hasEnd() || p.getPeriod().getEnd().after(now)));
            String subject = team.getSubject().getReference();
            if (serving && subject != null && subject.startsWith("Patient/")) {
                patients.add(FhirIds.idPart(FhirIds.withoutVersion(subject)));
            }
        }
        return PatientScope.of(patients);
    }

    private StoreQueries queries() {
        return new StoreQueries(store, parser);
    }

    static ForbiddenOperationException forbidden(String reason) {
        return new ForbiddenOperationException("Access denied: " + reason);
    }

    private static String name(Interaction interaction) {
        return interaction.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String roles(Caller caller) {
        return caller.roles().isEmpty() ? "(none)" : caller.roles().stream().map(Role::claimValue).sorted()
                .reduce((a, b) -> a + "," + b).orElse("");
    }
}
