package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.CARE_TEAM_CATEGORY;
import static org.alongside.mentorship.MentorshipCodes.CARE_TEAM_ROLE;
import static org.alongside.mentorship.MentorshipCodes.END_REASON;
import static org.alongside.mentorship.MentorshipCodes.HCPCS;
import static org.alongside.mentorship.MentorshipCodes.NUCC;
import static org.alongside.mentorship.MentorshipCodes.PEER_SERVICES;
import static org.alongside.mentorship.MentorshipCodes.PEER_SPECIALIST;
import static org.alongside.mentorship.MentorshipCodes.REFERRAL_TO_PEER_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.SNOMED;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.alongside.config.AlongsideConfig;
import org.alongside.conformance.ConformanceResources;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Assigning, transferring and ending a peer mentor within a care plan. Each call is one transaction that
 * keeps four records in step: the assignment itself (ServiceRequest "referral to peer support", performer =
 * the peer, requester = the assigner), its Task (owner = the peer), the plan's peer support CareTeam
 * (participant periods show who mentored when) and the CarePlan (careTeam and activity link to them).
 * Earlier assignments are never rewritten away: they end, and stay readable with their history. Every record is
 * read and written through the {@link InteractionPipeline} as the caller; the caseload and double-assignment rules
 * read the store directly, as the server's own reasoning whose records are never handed back.
 */
@ApplicationScoped
@Transactional
public class AssignmentService {

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    AlongsideConfig config;

    @Inject
    InteractionPipeline pipeline;

    @Inject
    ConformanceResources conformance;

    /** The resources an assignment operation wrote, in their new versions. */
    public record Outcome(List<IBaseResource> written) {
    }

    public Outcome assign(String carePlanId, Reference peer, Reference assigner, Date start, String note) {
        List<IBaseResource> written = new ArrayList<>();
        assignInto(carePlanId, peer, assigner, start, note, null, written);
        return new Outcome(written);
    }

    public Outcome transfer(String carePlanId, Reference from, Reference to, Reference assigner, Date date,
                            String note) {
        List<IBaseResource> written = new ArrayList<>();
        ServiceRequest ended = endInto(carePlanId, from, new Coding(END_REASON, "transferred", "Transferred to another peer"),
                assigner, date, note, written);
        assignInto(carePlanId, to, assigner, date, note, ended, written);
        return new Outcome(written);
    }

    public Outcome end(String carePlanId, Reference peer, Coding reason, Reference assigner, Date date, String note) {
        if (reason == null || !END_REASON.equals(reason.getSystem()) || !endReasons().contains(reason.getCode())) {
            throw new InvalidRequestException("An end reason from " + END_REASON + " is required, one of "
                    + String.join(", ", endReasons()));
        }
        List<IBaseResource> written = new ArrayList<>();
        endInto(carePlanId, peer, reason, assigner, date, note, written);
        return new Outcome(written);
    }

    /** The codes of the end-reason CodeSystem shipped in fhir-profiles. */
    private List<String> endReasons() {
        return conformance.findByUrl(END_REASON).map(cs -> ((CodeSystem) cs).getConcept().stream()
                .map(CodeSystem.ConceptDefinitionComponent::getCode).toList()).orElse(List.of());
    }

    private void assignInto(String carePlanId, Reference peer, Reference assigner, Date start, String note,
                            ServiceRequest replaces, List<IBaseResource> written) {
        CarePlan plan = activePlan(carePlanId);
        Reference patient = plan.getSubject();
        String peerId = peerRoleId(peer);
        requireAssigner(assigner);
        // one peer's assignments are decided one at a time: the caseload count below cannot go stale
        store.lockForUpdate("PractitionerRole", peerId);
        PractitionerRole role = (PractitionerRole) store.read("PractitionerRole", peerId);
        requireActivePeerSpecialist(role, start);

        StoreQueries queries = new StoreQueries(store, parser);
        if (!activeAssignments(queries, "based-on", "CarePlan/" + carePlanId, peerId).isEmpty()) {
            throw Refusals.conflict("already-assigned", "PractitionerRole/" + peerId
                    + " already has an active peer mentor assignment in CarePlan/" + carePlanId);
        }
        Set<String> mentees = new LinkedHashSet<>();
        for (ServiceRequest active : activeAssignments(queries, null, null, peerId)) {
            mentees.add(active.getSubject().getReference());
        }
        int limit = config.caseloadLimit();
        if (!mentees.contains(patient.getReference()) && mentees.size() >= limit) {
            throw Refusals.unprocessable("caseload-full", "PractitionerRole/" + peerId + " already mentors " + mentees.size()
                    + " people, the caseload limit is " + limit + ". Choose another peer or end an assignment first.");
        }

        ServiceRequest referral = new ServiceRequest()
                .setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER)
                .setSubject(patient)
                .addBasedOn(new Reference("CarePlan/" + carePlanId))
                .setRequester(assigner)
                .addPerformer(new Reference("PractitionerRole/" + peerId))
                .setAuthoredOn(new Date())
                .setOccurrence(new Period().setStart(start));
        referral.getMeta().addProfile(MentorshipCodes.PROFILE_REFERRAL);
        referral.setCode(new CodeableConcept()
                .addCoding(new Coding(SNOMED, REFERRAL_TO_PEER_SUPPORT, "Referral to peer support"))
                .addCoding(new Coding(HCPCS, PEER_SERVICES, "Self-help/peer services, per 15 minutes")));
        if (replaces != null) {
            referral.addReplaces(new Reference(replaces.getIdElement().toUnqualifiedVersionless()));
        }
        if (note != null && !note.isBlank()) {
            referral.addNote().setText(note);
        }
        String referralRef = create(referral, written);

        Task task = new Task()
                .setStatus(Task.TaskStatus.INPROGRESS)
                .setIntent(Task.TaskIntent.ORDER)
                .setFocus(new Reference(referralRef))
                .setFor(patient)
                .setOwner(new Reference("PractitionerRole/" + peerId))
                .setRequester(assigner)
                .setAuthoredOn(new Date())
                .setExecutionPeriod(new Period().setStart(start));
        task.getMeta().addProfile(MentorshipCodes.PROFILE_TASK);
        task.setCode(new CodeableConcept(new Coding(MentorshipCodes.TASK_CODES, "fulfill", "Fulfill the focal request")));
        create(task, written);

        CareTeam team = peerSupportTeam(plan).orElseGet(() -> newTeam(patient));
        team.addParticipant(participant("peer-mentor", "Peer mentor", "PractitionerRole/" + peerId, start));
        Extension supervisor = role.getExtensionByUrl(MentorshipCodes.EXT_SUPERVISED_BY);
        if (supervisor != null && supervisor.getValue() instanceof Reference supervisorRef
                && activeParticipant(team, supervisorRef.getReference()).isEmpty()) {
            team.addParticipant(participant("supervisor", "Supervisor", supervisorRef.getReference(), start));
        }
        String teamRef = team.hasId() ? update(team, written) : create(team, written);

        if (plan.getCareTeam().stream().noneMatch(r -> teamRef.equals(r.getReference()))) {
            plan.addCareTeam(new Reference(teamRef));
        }
        plan.addActivity().setReference(new Reference(referralRef));
        update(plan, written);
    }

    private ServiceRequest endInto(String carePlanId, Reference peer, Coding reason, Reference assigner, Date date,
                                   String note, List<IBaseResource> written) {
        CarePlan plan = activePlan(carePlanId);
        String peerId = peerRoleId(peer);
        requireAssigner(assigner);
        StoreQueries queries = new StoreQueries(store, parser);
        List<ServiceRequest> active = activeAssignments(queries, "based-on", "CarePlan/" + carePlanId, peerId);
        if (active.isEmpty()) {
            throw Refusals.unprocessable("not-assigned", "PractitionerRole/" + peerId
                    + " has no active peer mentor assignment in CarePlan/" + carePlanId);
        }
        ServiceRequest referral = active.get(0);
        referral.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
        referral.getOccurrencePeriod().setEnd(date);
        var ending = referral.addNote().setTime(new Date())
                .setText("Ended: " + reason.getCode() + (note == null || note.isBlank() ? "" : ". " + note));
        if (assigner.getReference().startsWith("Practitioner/")) {
            ending.setAuthor(assigner); // R4 Annotation.author cannot be a PractitionerRole
        }
        String referralRef = update(referral, written);

        // the assignment's own Task; an engagement alert on it is the alert job's to cancel
        for (Task task : queries.all("Task", Task.class, "focus", referralRef,
                "code", MentorshipCodes.TASK_CODES + "|fulfill")) {
            if (task.getStatus() != Task.TaskStatus.COMPLETED && task.getStatus() != Task.TaskStatus.CANCELLED) {
                task.setStatus(Task.TaskStatus.COMPLETED).setStatusReason(new CodeableConcept(reason));
                task.getExecutionPeriod().setEnd(date);
                task.setLastModified(new Date());
                update(task, written);
            }
        }
        peerSupportTeam(plan).ifPresent(team -> {
            activeParticipant(team, "PractitionerRole/" + peerId).forEach(p -> p.getPeriod().setEnd(date));
            update(team, written);
        });
        return referral;
    }

    private List<ServiceRequest> activeAssignments(StoreQueries queries, String extraName, String extraValue,
                                                   String peerId) {
        List<String> params = new ArrayList<>(List.of("performer", "PractitionerRole/" + peerId, "status", "active",
                "code", SNOMED + "|" + REFERRAL_TO_PEER_SUPPORT));
        if (extraName != null) {
            params.add(extraName);
            params.add(extraValue);
        }
        return queries.all("ServiceRequest", ServiceRequest.class, params.toArray(String[]::new));
    }

    private CarePlan activePlan(String carePlanId) {
        CarePlan plan = (CarePlan) pipeline.read("CarePlan", carePlanId);
        CarePlan.CarePlanStatus status = plan.getStatus();
        if (status != CarePlan.CarePlanStatus.ACTIVE && status != CarePlan.CarePlanStatus.DRAFT
                && status != CarePlan.CarePlanStatus.ONHOLD) {
            throw Refusals.unprocessable("plan-closed", "CarePlan/" + carePlanId + " is " + status.toCode()
                    + "; peer mentors are assigned within draft, active or on-hold plans");
        }
        if (!plan.getSubject().getReference().startsWith("Patient/")) {
            throw new UnprocessableEntityException("CarePlan/" + carePlanId + " has no Patient subject");
        }
        return plan;
    }

    private static String peerRoleId(Reference peer) {
        if (peer == null || peer.getReference() == null || !peer.getReference().startsWith("PractitionerRole/")) {
            throw new InvalidRequestException("The peer must be a reference to a PractitionerRole (PractitionerRole/id)");
        }
        return new IdType(peer.getReference()).getIdPart();
    }

    private static void requireAssigner(Reference assigner) {
        if (assigner == null || assigner.getReference() == null
                || !(assigner.getReference().startsWith("Practitioner/")
                || assigner.getReference().startsWith("PractitionerRole/"))) {
            throw new InvalidRequestException("The assigner must be a reference to a Practitioner or PractitionerRole");
        }
    }

    private static void requireActivePeerSpecialist(PractitionerRole role, Date on) {
        boolean peerCode = role.getCode().stream().flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> NUCC.equals(c.getSystem()) && PEER_SPECIALIST.equals(c.getCode()));
        Period period = role.getPeriod();
        boolean inPeriod = (!period.hasStart() || !period.getStart().after(on))
                && (!period.hasEnd() || !period.getEnd().before(on));
        if (!role.getActive() || !peerCode || !inPeriod) {
            throw Refusals.unprocessable("inactive-peer-role", role.getIdElement().toUnqualifiedVersionless().getValue()
                    + " is not an active peer specialist role (needs active=true, code " + NUCC + "|" + PEER_SPECIALIST
                    + " and a current period)");
        }
    }

    private Optional<CareTeam> peerSupportTeam(CarePlan plan) {
        for (Reference ref : plan.getCareTeam()) {
            if (ref.getReference() != null && ref.getReference().startsWith("CareTeam/")) {
                CareTeam team = (CareTeam) store.read("CareTeam", new IdType(ref.getReference()).getIdPart());
                boolean peerSupport = team.getCategory().stream().flatMap(c -> c.getCoding().stream())
                        .anyMatch(c -> CARE_TEAM_CATEGORY.equals(c.getSystem()) && "peer-support".equals(c.getCode()));
                if (peerSupport) {
                    return Optional.of(team);
                }
            }
        }
        return Optional.empty();
    }

    private static CareTeam newTeam(Reference patient) {
        CareTeam team = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE).setSubject(patient)
                .setName("Peer support");
        team.addCategory().addCoding(new Coding(CARE_TEAM_CATEGORY, "peer-support", "Peer support"));
        team.getMeta().addProfile(MentorshipCodes.PROFILE_TEAM);
        return team;
    }

    private static CareTeamParticipantComponent participant(String role, String display, String member, Date start) {
        CareTeamParticipantComponent participant = new CareTeamParticipantComponent()
                .setMember(new Reference(member)).setPeriod(new Period().setStart(start));
        CodeableConcept code = participant.addRole().addCoding(new Coding(CARE_TEAM_ROLE, role, display));
        if (role.equals("peer-mentor")) {
            code.addCoding(new Coding(NUCC, PEER_SPECIALIST, "Peer Specialist"));
        }
        return participant;
    }

    private static List<CareTeamParticipantComponent> activeParticipant(CareTeam team, String member) {
        return team.getParticipant().stream()
                .filter(p -> member.equals(p.getMember().getReference()) && !p.getPeriod().hasEnd())
                .toList();
    }

    /** Writes go through the pipeline as the caller: their access, the write checks, the audit. */
    private String create(IBaseResource resource, List<IBaseResource> written) {
        WriteResult result = pipeline.create(resource, Optional.empty());
        written.add(result.resource());
        return result.type() + "/" + result.id();
    }

    private String update(IBaseResource resource, List<IBaseResource> written) {
        IdType id = (IdType) resource.getIdElement();
        WriteResult result = pipeline.update(id.getResourceType(), id.getIdPart(), resource, Optional.empty());
        written.removeIf(r -> r.getIdElement().toUnqualifiedVersionless().getValue()
                .equals(result.type() + "/" + result.id()));
        written.add(result.resource());
        return result.type() + "/" + result.id();
    }
}
