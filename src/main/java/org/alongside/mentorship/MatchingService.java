package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.NUCC;
import static org.alongside.mentorship.MentorshipCodes.PEER_SPECIALIST;
import static org.alongside.mentorship.MentorshipCodes.REFERRAL_TO_PEER_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.SNOMED;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.alongside.config.AlongsideConfig;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;

/**
 * CarePlan/$match-peer-mentor: the peers who can take the plan's person, ranked by {@link MentorMatching} with its
 * reasons. The plan and the person are read as the caller, and what the plan addresses is taken from the plan itself
 * (its contained Conditions and its activities' reason codes; Alongside keeps no Condition records), so no reason
 * tells the caller more than the plan they may read. Peers and their caseloads are the server's own reasoning; the
 * roles shown are released through the pipeline. A caseload is a count, never who is in it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MatchingService {

    static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    InteractionPipeline pipeline;

    @Inject
    AlongsideConfig config;

    public Parameters match(String carePlanId, int count) {
        CarePlan plan = (CarePlan) pipeline.read("CarePlan", carePlanId);
        Reference subject = plan.getSubject();
        if (subject.getReference() == null || !subject.getReference().startsWith("Patient/")) {
            throw new ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException(
                    "CarePlan/" + carePlanId + " has no Patient subject to match a peer mentor to");
        }
        Patient patient = (Patient) pipeline.read("Patient", new IdType(subject.getReference()).getIdPart());
        MentorMatching.Person person = new MentorMatching.Person(preferredLanguage(patient), languages(patient),
                codes(patient.getExtensionsByUrl(MentorshipCodes.EXT_MENTOR_PREFERENCE)), planAreas(plan));

        Map<String, PractitionerRole> roles = new HashMap<>();
        List<MentorMatching.Candidate> candidates = pipeline.asServer(() -> candidates(patient, carePlanId, roles));
        List<MentorMatching.Match> ranked = MentorMatching.rank(person, candidates, config.caseloadLimit());
        List<MentorMatching.Match> top = ranked.subList(0, Math.min(count, ranked.size()));
        List<PractitionerRole> shown = pipeline.release("PractitionerRole",
                top.stream().map(m -> roles.get(m.candidate().roleId())).toList());
        Set<String> shownIds = shown.stream().map(r -> r.getIdElement().getIdPart()).collect(Collectors.toSet());

        Parameters result = new Parameters();
        int rank = 0;
        for (MentorMatching.Match match : top) {
            String roleId = match.candidate().roleId();
            if (!shownIds.contains(roleId)) {
                continue;
            }
            ParametersParameterComponent entry = result.addParameter().setName("match");
            entry.addPart().setName("rank").setValue(new IntegerType(++rank));
            entry.addPart().setName("peer").setValue(new Reference("PractitionerRole/" + roleId));
            entry.addPart().setName("score").setValue(new DecimalType(match.score()));
            entry.addPart().setName("points").setValue(new IntegerType(match.points()));
            entry.addPart().setName("caseload").setValue(new IntegerType(match.candidate().mentees()));
            for (MentorMatching.Reason reason : match.reasons()) {
                ParametersParameterComponent why = entry.addPart().setName("reason");
                why.addPart().setName("code").setValue(new Coding(MentorshipCodes.MATCH_REASON, reason.code(), null));
                why.addPart().setName("detail").setValue(new StringType(reason.detail()));
            }
            entry.addPart().setName("role").setResource(roles.get(roleId));
        }
        result.addParameter().setName("caseloadLimit").setValue(new IntegerType(config.caseloadLimit()));
        return result;
    }

    /** Active peer specialist roles of the person's organisation (any, when the person has none) with their facts. */
    private List<MentorMatching.Candidate> candidates(Patient patient, String carePlanId,
                                                      Map<String, PractitionerRole> roles) {
        StoreQueries queries = new StoreQueries(store, parser);
        List<String> params = new ArrayList<>(List.of("role", NUCC + "|" + PEER_SPECIALIST, "active", "true"));
        if (patient.getManagingOrganization().getReference() != null) {
            params.addAll(List.of("organization", patient.getManagingOrganization().getReference()));
        }
        Date now = new Date();
        List<MentorMatching.Candidate> candidates = new ArrayList<>();
        for (PractitionerRole role : queries.all("PractitionerRole", PractitionerRole.class,
                params.toArray(String[]::new))) {
            if (!current(role.getPeriod(), now)) {
                continue;
            }
            String roleId = role.getIdElement().getIdPart();
            roles.put(roleId, role);
            List<ServiceRequest> assignments = queries.all("ServiceRequest", ServiceRequest.class,
                    "performer", "PractitionerRole/" + roleId, "status", "active",
                    "code", SNOMED + "|" + REFERRAL_TO_PEER_SUPPORT);
            Set<String> mentees = assignments.stream().map(a -> a.getSubject().getReference())
                    .collect(Collectors.toSet());
            boolean here = assignments.stream().anyMatch(a -> a.getBasedOn().stream()
                    .anyMatch(b -> ("CarePlan/" + carePlanId).equals(b.getReference())));
            candidates.add(new MentorMatching.Candidate(roleId, practitionerLanguages(role),
                    codes(role.getExtensionsByUrl(MentorshipCodes.EXT_LIVED_EXPERIENCE)), availability(role),
                    mentees.size(), here));
        }
        return candidates;
    }

    private Set<String> practitionerLanguages(PractitionerRole role) {
        return readAll(List.of(role.getPractitioner()), Practitioner.class).stream()
                .flatMap(p -> p.getCommunication().stream()).flatMap(c -> c.getCoding().stream())
                .map(c -> language(c.getCode())).filter(l -> l != null)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private <T extends org.hl7.fhir.r4.model.Resource> List<T> readAll(List<Reference> refs, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Reference ref : refs) {
            IdType id = new IdType(ref.getReference() == null ? "" : ref.getReference());
            if (!id.hasIdPart() || !type.getSimpleName().equals(id.getResourceType()) || id.isAbsolute()) {
                continue;
            }
            try {
                found.add(type.cast(store.read(id.getResourceType(), id.getIdPart())));
            } catch (BaseServerResponseException gone) {
                // deleted or unknown: nothing to weigh
            }
        }
        return found;
    }

    private static String preferredLanguage(Patient patient) {
        return patient.getCommunication().stream().filter(c -> c.getPreferred())
                .flatMap(c -> c.getLanguage().getCoding().stream()).map(c -> language(c.getCode()))
                .filter(l -> l != null).findFirst().orElse(null);
    }

    private static Set<String> languages(Patient patient) {
        return patient.getCommunication().stream().flatMap(c -> c.getLanguage().getCoding().stream())
                .map(c -> language(c.getCode())).filter(l -> l != null)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** BCP 47 tags compared by their language alone: a peer who speaks "es" serves a person who reads "es-MX". */
    static String language(String tag) {
        return tag == null || tag.isBlank() ? null : tag.split("-")[0].toLowerCase(Locale.ROOT);
    }

    private static Set<String> codes(List<Extension> extensions) {
        Set<String> codes = new LinkedHashSet<>();
        for (Extension extension : extensions) {
            if (extension.getValue() instanceof CodeableConcept concept) {
                concept.getCoding().stream().filter(c -> MentorshipCodes.LIVED_EXPERIENCE.equals(c.getSystem()))
                        .forEach(c -> codes.add(c.getCode()));
            }
        }
        return codes;
    }

    /**
     * The areas a plan addresses, from the ICD-10-CM codes of the Conditions it contains and names in
     * {@code addresses}, and of its activities' reason codes: F10–F19 substance use; F20–F69 and F80–F99 mental
     * health (F70–F79, intellectual disabilities, are neither).
     */
    public static Set<String> planAreas(CarePlan plan) {
        List<Coding> codings = new ArrayList<>();
        Set<String> addressed = plan.getAddresses().stream().map(Reference::getReference).filter(r -> r != null)
                .collect(Collectors.toSet());
        plan.getContained().stream().filter(Condition.class::isInstance).map(Condition.class::cast)
                .filter(c -> addressed.contains("#" + c.getIdElement().getIdPart().replaceFirst("^#", "")))
                .forEach(c -> codings.addAll(c.getCode().getCoding()));
        plan.getActivity().stream().flatMap(a -> a.getDetail().getReasonCode().stream())
                .forEach(reason -> codings.addAll(reason.getCoding()));
        Set<String> areas = new LinkedHashSet<>();
        codings.forEach(coding -> areaOf(coding).ifPresent(areas::add));
        return areas;
    }

    public static Optional<String> areaOf(Coding coding) {
        String code = coding.getCode();
        if (!ICD10_CM.equals(coding.getSystem()) || code == null || !code.matches("F\\d\\d.*")) {
            return Optional.empty();
        }
        int block = Integer.parseInt(code.substring(1, 3));
        if (block >= 10 && block <= 19) {
            return Optional.of("substance-use");
        }
        return block >= 70 && block <= 79 ? Optional.empty() : Optional.of("mental-health");
    }

    /** "mon, wed 09:00–17:00; sat all day" from PractitionerRole.availableTime; null when none is recorded. */
    static String availability(PractitionerRole role) {
        List<String> slots = new ArrayList<>();
        for (PractitionerRole.PractitionerRoleAvailableTimeComponent time : role.getAvailableTime()) {
            String days = time.getDaysOfWeek().stream().map(d -> d.getValue().toCode()).collect(Collectors.joining(", "));
            String hours = time.getAllDay() ? "all day" : time.hasAvailableStartTime() && time.hasAvailableEndTime()
                    ? hhmm(time.getAvailableStartTime()) + "–" + hhmm(time.getAvailableEndTime()) : "";
            String slot = (days + " " + hours).trim();
            if (!slot.isEmpty()) {
                slots.add(slot);
            }
        }
        return slots.isEmpty() ? null : String.join("; ", slots);
    }

    private static String hhmm(String time) {
        return time.length() >= 5 ? time.substring(0, 5) : time;
    }

    private static boolean current(Period period, Date on) {
        return (!period.hasStart() || !period.getStart().after(on)) && (!period.hasEnd() || !period.getEnd().before(on));
    }
}
