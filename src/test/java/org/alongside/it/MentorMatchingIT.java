package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * CarePlan/$match-peer-mentor over HTTP, as an EHR's clinician picker calls it: the peers of the person's organisation
 * who can take them, best first, with reasons; who may ask; what it refuses.
 */
class MentorMatchingIT {

    private static final IGenericClient CLIENT = FhirServer.client();
    private static final String BASE = "http://alongside.health/fhir";
    private static final String LIVED = BASE + "/CodeSystem/lived-experience";
    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
    private static final String LANGUAGES = "urn:ietf:bcp:47";

    private static String create(Resource resource) {
        IdType id = (IdType) CLIENT.create().resource(resource).execute().getId();
        return id.getResourceType() + "/" + id.getIdPart();
    }

    private static String peer(String organization, List<String> languages, List<String> areas, boolean available) {
        Practitioner practitioner = new Practitioner();
        practitioner.addName().setText("Peer " + UUID.randomUUID());
        languages.forEach(l -> practitioner.addCommunication(new CodeableConcept(new Coding(LANGUAGES, l, null))));
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference(create(practitioner))).setOrganization(new Reference(organization));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", null));
        areas.forEach(a -> role.addExtension(BASE + "/StructureDefinition/lived-experience",
                new CodeableConcept(new Coding(LIVED, a, null))));
        if (available) {
            role.addAvailableTime().addDaysOfWeek(PractitionerRole.DaysOfWeek.TUE).setAvailableStartTime("10:00:00")
                    .setAvailableEndTime("14:00:00");
        }
        return create(role);
    }

    private record Scene(String organization, String plan, String spanishParent, String englishSud,
                         String spanishOnly, String elsewhere) {
    }

    /** A Spanish-speaking person in recovery from opioid use who asked for a mentor who is a parent. */
    private static Scene scene() {
        String organization = create(new Organization().setName("Harbor " + UUID.randomUUID()));
        Patient person = new Patient().setManagingOrganization(new Reference(organization));
        person.addName().setFamily("Match-" + UUID.randomUUID().toString().substring(0, 8));
        person.addCommunication().setPreferred(true).setLanguage(new CodeableConcept(new Coding(LANGUAGES, "es-MX", null)));
        person.addCommunication().setLanguage(new CodeableConcept(new Coding(LANGUAGES, "en", null)));
        person.addExtension(BASE + "/StructureDefinition/peer-mentor-preference",
                new CodeableConcept(new Coding(LIVED, "parent", null)));
        String patient = create(person);
        // the EHR keeps the diagnosis; its plan carries it as a contained Condition that it addresses
        Condition opioidUse = new Condition().setSubject(new Reference(patient));
        opioidUse.setId("dx");
        opioidUse.getCode().addCoding(new Coding(ICD10, "F11.20", "Opioid dependence, uncomplicated"));
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference(patient)).addAddresses(new Reference("#dx"));
        plan.addContained(opioidUse);
        return new Scene(organization, create(plan),
                peer(organization, List.of("es"), List.of("parent", "substance-use"), true),
                peer(organization, List.of("en"), List.of("substance-use"), false),
                peer(organization, List.of("es"), List.of(), false),
                peer(create(new Organization().setName("Elsewhere")), List.of("es"), List.of("parent"), true));
    }

    private static Parameters match(IGenericClient client, String plan, Integer count) {
        Parameters in = new Parameters();
        if (count != null) {
            in.addParameter().setName("count").setValue(new IntegerType(count));
        }
        return client.operation().onInstance(new IdType(plan)).named("$match-peer-mentor").withParameters(in)
                .returnResourceType(Parameters.class).execute();
    }

    private static List<ParametersParameterComponent> matches(Parameters result) {
        return result.getParameter().stream().filter(p -> p.getName().equals("match")).toList();
    }

    private static String part(ParametersParameterComponent match, String name) {
        return match.getPart().stream().filter(p -> p.getName().equals(name)).findFirst().map(p -> p.getValue() instanceof
                Reference ref ? ref.getReference() : p.getValue().primitiveValue()).orElseThrow();
    }

    private static List<String> reasons(ParametersParameterComponent match) {
        return match.getPart().stream().filter(p -> p.getName().equals("reason"))
                .map(r -> ((Coding) r.getPart().get(0).getValue()).getCode() + ": " + r.getPart().get(1).getValue())
                .toList();
    }

    @Test
    void thePeersOfThePersonsOrganisationAreRankedBestFirstWithTheirReasons() {
        Scene scene = scene();
        Parameters result = match(CLIENT, scene.plan(), null);
        List<ParametersParameterComponent> ranked = matches(result);
        assertThat(ranked).extracting(m -> part(m, "peer"))
                .containsExactly(scene.spanishParent(), scene.englishSud(), scene.spanishOnly());
        assertThat(ranked).extracting(m -> part(m, "rank")).containsExactly("1", "2", "3");
        ParametersParameterComponent best = ranked.get(0);
        assertThat(reasons(best)).containsExactly(
                "shared-lived-experience: parent (asked for by the person)",
                "shared-lived-experience: substance-use (addressed by the care plan)",
                "preferred-language: es", "available: tue 10:00–14:00", "caseload-room: Mentors 0 of 15");
        assertThat(part(best, "score")).isEqualTo("1.0");
        assertThat(part(best, "caseload")).isEqualTo("0");
        assertThat(best.getPart()).anyMatch(p -> p.getName().equals("role") && p.getResource() instanceof PractitionerRole);
        // lived experience the plan addresses outweighs the preferred language alone
        assertThat(reasons(ranked.get(1))).contains("shared-language: en",
                "shared-lived-experience: substance-use (addressed by the care plan)");
        assertThat(reasons(ranked.get(2))).contains("preferred-language: es");
    }

    @Test
    void aPeerAlreadyMentoringInThePlanIsNotOfferedAgainAndCountLimitsTheList() {
        Scene scene = scene();
        Parameters assign = new Parameters();
        assign.addParameter().setName("peer").setValue(new Reference(scene.spanishParent()));
        assign.addParameter().setName("assigner").setValue(new Reference(create(new Practitioner())));
        CLIENT.operation().onInstance(new IdType(scene.plan())).named("$assign-peer-mentor").withParameters(assign)
                .returnResourceType(Bundle.class).execute();

        assertThat(matches(match(CLIENT, scene.plan(), 1))).extracting(m -> part(m, "peer"))
                .containsExactly(scene.englishSud());
    }

    @Test
    void aPeerSpecialistMayNotRankPeersForAPlan() {
        Scene scene = scene();
        IGenericClient peer = FhirServer.clientWith(FhirServer.token("peer-specialist", "Practitioner/matching-peer",
                "user/*.cruds", null));
        assertThatThrownBy(() -> match(peer, scene.plan(), null)).isInstanceOfSatisfying(
                BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isIn(403, 404));
    }

    @Test
    void aCountOutsideOneToFiftyIsA400() {
        Scene scene = scene();
        for (int count : new int[] {0, 51}) {
            assertThatThrownBy(() -> match(CLIENT, scene.plan(), count)).isInstanceOfSatisfying(
                    BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
        }
    }
}
