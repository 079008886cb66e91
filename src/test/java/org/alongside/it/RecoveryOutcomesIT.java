package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recovery outcomes over HTTP: the peer records a BARC-10 with QuestionnaireResponse/$record-recovery-capital; a
 * complete response is stored with its score Observation (one transaction), an incomplete one is a 422 that stores
 * nothing; $side-by-side carries the first and latest score and the change; a peer reaches only their own people and
 * writes only as themselves; outside the Part 2 program the scores leave only under the person's consent.
 */
class RecoveryOutcomesIT {

    static final String BASE = "http://alongside.health/fhir";
    static final String QUESTIONNAIRE = BASE + "/Questionnaire/barc-10";
    static final String SCALE = BASE + "/CodeSystem/agreement-scale";
    static final String SCORE_CODE = BASE + "/CodeSystem/recovery-capital|barc-10-total";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final IGenericClient EHR = FhirServer.client();

    static String organization;
    static String peerPractitioner;
    static String peerRole;
    static String otherPeerPractitioner;
    static String otherPeerRole;
    static String clinician;

    @BeforeAll
    static void directory() {
        organization = create(new Organization().setName("Riverside " + RUN));
        peerPractitioner = create(new Practitioner().addName(new HumanName().setText("Jordan " + RUN)));
        peerRole = create(peerRole(peerPractitioner));
        otherPeerPractitioner = create(new Practitioner().addName(new HumanName().setText("Avery " + RUN)));
        otherPeerRole = create(peerRole(otherPeerPractitioner));
        clinician = create(new Practitioner().addName(new HumanName().setText("Dr. Chen " + RUN)));
    }

    static PractitionerRole peerRole(String practitioner) {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference("Practitioner/" + practitioner))
                .setOrganization(new Reference("Organization/" + organization));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        return role;
    }

    static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }

    /** A person with a clinical care team and a care plan, whose peer mentor is the first peer. Returns {patient, plan}. */
    static String[] mentee() {
        String patient = create(new Patient().addName(new HumanName().setFamily("Lopez " + RUN)));
        CareTeam clinical = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE)
                .setSubject(new Reference("Patient/" + patient));
        clinical.addParticipant().setMember(new Reference("Practitioner/" + clinician));
        create(clinical);
        String plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + patient)));
        EHR.operation().onInstance(new IdType("CarePlan", plan)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + peerRole))
                        .addParameter("assigner", new Reference("Practitioner/" + clinician)))
                .returnResourceType(Bundle.class).execute();
        return new String[] {patient, plan};
    }

    static IGenericClient peer() {
        return FhirServer.clientWith(FhirServer.token("peer-specialist", "Practitioner/" + peerPractitioner,
                "user/*.cruds", null));
    }

    static IGenericClient otherPeer() {
        return FhirServer.clientWith(FhirServer.token("peer-specialist", "Practitioner/" + otherPeerPractitioner,
                "user/*.cruds", null));
    }

    /** A BARC-10 response as the web app builds it: ten items, each a code of the six-point scale. */
    static QuestionnaireResponse barc10(String patient, String author, Instant authored, int... answers) {
        QuestionnaireResponse response = new QuestionnaireResponse().setQuestionnaire(QUESTIONNAIRE)
                .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED)
                .setSubject(new Reference("Patient/" + patient)).setAuthored(Date.from(authored))
                .setAuthor(new Reference(author));
        for (int i = 0; i < answers.length; i++) {
            response.addItem().setLinkId(String.valueOf(i + 1)).addAnswer()
                    .setValue(new Coding(SCALE, String.valueOf(answers[i]), null));
        }
        return response;
    }

    static Bundle record(IGenericClient as, QuestionnaireResponse response) {
        return as.operation().onType(QuestionnaireResponse.class).named("$record-recovery-capital")
                .withParameters(new Parameters().addParameter(new Parameters.ParametersParameterComponent()
                        .setName("response").setResource(response)))
                .returnResourceType(Bundle.class).execute();
    }

    static <T extends Resource> T only(Bundle bundle, Class<T> type) {
        List<T> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    static int count(String query) {
        return EHR.search().byUrl(query + "&_total=accurate").returnBundle(Bundle.class).execute().getTotal();
    }

    @Test
    void theQuestionnaireIsPublishedWithTenRequiredItemsOnTheSixPointScale() {
        Questionnaire barc = EHR.read().resource(Questionnaire.class).withId("barc-10").execute();
        assertThat(barc.getUrl()).isEqualTo(QUESTIONNAIRE);
        assertThat(barc.getItem()).hasSize(10).allSatisfy(item -> {
            assertThat(item.getRequired()).isTrue();
            assertThat(item.getAnswerValueSet()).isEqualTo(BASE + "/ValueSet/agreement-scale");
        });
        assertThat(barc.getItemFirstRep().getText())
                .isEqualTo("There are more important things to me in life than using substances.");
    }

    @Test
    void aCompleteResponseIsStoredWithItsScoreObservation() {
        String patient = mentee()[0];
        Instant authored = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Bundle written = record(peer(), barc10(patient, "PractitionerRole/" + peerRole, authored,
                4, 3, 3, 2, 4, 3, 2, 5, 4, 4));
        QuestionnaireResponse response = only(written, QuestionnaireResponse.class);
        Observation score = only(written, Observation.class);
        assertThat(score.getValueIntegerType().getValue()).isEqualTo(34);
        assertThat(score.getDerivedFromFirstRep().getReference())
                .isEqualTo("QuestionnaireResponse/" + response.getIdElement().getIdPart());
        assertThat(score.getSubject().getReference()).isEqualTo("Patient/" + patient);
        assertThat(score.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/" + peerRole);
        assertThat(score.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo(authored);
        // stored, not only answered, and labelled as Part 2 records like the other mentorship records
        Observation stored = EHR.read().resource(Observation.class).withId(score.getIdElement().getIdPart()).execute();
        assertThat(stored.getMeta().getSecurity()).extracting(Coding::getCode).contains("SUD", "R");
        QuestionnaireResponse storedResponse = EHR.read().resource(QuestionnaireResponse.class)
                .withId(response.getIdElement().getIdPart()).execute();
        assertThat(storedResponse.getMeta().getSecurity()).extracting(Coding::getCode).contains("SUD");
        assertThat(count("Observation?subject=Patient/" + patient + "&code=" + SCORE_CODE)).isEqualTo(1);
    }

    @Test
    void aRetriedSubmissionWithTheSameIdentifierStoresNothingTwice() {
        String patient = mentee()[0];
        QuestionnaireResponse response = barc10(patient, "PractitionerRole/" + peerRole, Instant.now(),
                5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        response.getIdentifier().setSystem(BASE + "/assessment-key").setValue(UUID.randomUUID().toString());
        Bundle first = record(peer(), response.copy());
        Bundle again = record(peer(), response.copy());
        assertThat(only(again, QuestionnaireResponse.class).getIdElement().getIdPart())
                .isEqualTo(only(first, QuestionnaireResponse.class).getIdElement().getIdPart());
        assertThat(only(again, Observation.class).getIdElement().getIdPart())
                .isEqualTo(only(first, Observation.class).getIdElement().getIdPart());
        assertThat(count("QuestionnaireResponse?subject=Patient/" + patient)).isEqualTo(1);
        assertThat(count("Observation?subject=Patient/" + patient)).isEqualTo(1);
    }

    @Test
    void anIncompleteOrOffScaleResponseIsA422AndNothingIsWritten() {
        String patient = mentee()[0];
        String author = "PractitionerRole/" + peerRole;
        QuestionnaireResponse nineItems = barc10(patient, author, Instant.now(), 4, 3, 3, 2, 4, 3, 2, 5, 4);
        QuestionnaireResponse offScale = barc10(patient, author, Instant.now(), 4, 3, 7, 2, 4, 3, 2, 5, 4, 4);
        QuestionnaireResponse twice = barc10(patient, author, Instant.now(), 4, 3, 3, 2, 4, 3, 2, 5, 4, 4);
        twice.getItem().get(9).setLinkId("9");
        for (QuestionnaireResponse invalid : List.of(nineItems, offScale, twice)) {
            assertThatThrownBy(() -> record(peer(), invalid)).isInstanceOf(UnprocessableEntityException.class);
        }
        // the same rule on a plain create: the response is validated however it arrives
        assertThatThrownBy(() -> peer().create().resource(nineItems).execute())
                .isInstanceOf(UnprocessableEntityException.class);
        assertThat(count("QuestionnaireResponse?subject=Patient/" + patient)).isZero();
        assertThat(count("Observation?subject=Patient/" + patient)).isZero();
    }

    @Test
    void sideBySideCarriesTheFirstAndLatestScoreAndTheChange() {
        String[] scene = mentee();
        String author = "PractitionerRole/" + peerRole;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // recorded out of order: the first score is the earliest answered, not the earliest stored
        record(peer(), barc10(scene[0], author, now.minus(30, ChronoUnit.DAYS), 4, 4, 4, 4, 3, 4, 3, 4, 3, 4));
        record(peer(), barc10(scene[0], author, now.minus(90, ChronoUnit.DAYS), 3, 3, 3, 3, 3, 3, 2, 3, 3, 3));
        record(peer(), barc10(scene[0], author, now.minus(1, ChronoUnit.DAYS), 5, 4, 4, 4, 4, 4, 4, 5, 4, 3));

        IGenericClient clinicianClient = FhirServer.clientWith(FhirServer.token("clinician",
                "Practitioner/" + clinician, "user/*.cruds", null));
        Bundle view = clinicianClient.operation().onInstance(new IdType("CarePlan", scene[1])).named("$side-by-side")
                .withNoParameters(Parameters.class).returnResourceType(Bundle.class).execute();
        Parameters summary = (Parameters) view.getEntryFirstRep().getResource();
        assertThat(((IntegerType) summary.getParameter("recoveryScoreFirst").getValue()).getValue()).isEqualTo(29);
        assertThat(((IntegerType) summary.getParameter("recoveryScoreLatest").getValue()).getValue()).isEqualTo(41);
        assertThat(((IntegerType) summary.getParameter("recoveryScoreChange").getValue()).getValue()).isEqualTo(12);
        assertThat(((IntegerType) summary.getParameter("recoveryScoreCount").getValue()).getValue()).isEqualTo(3);
        assertThat(((DateTimeType) summary.getParameter("recoveryScoreFirstDate").getValue()).getValue().toInstant())
                .isEqualTo(now.minus(90, ChronoUnit.DAYS));
        // the scores are on the timeline, oldest first
        List<Integer> onTimeline = view.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(o -> ((Observation) o).getValueIntegerType().getValue())
                .toList();
        assertThat(onTimeline).containsExactly(29, 37, 41);
    }

    @Test
    void aPeerOutOfReachCanNeitherWriteNorReadAPersonsScores() {
        String patient = mentee()[0];
        Bundle written = record(peer(), barc10(patient, "PractitionerRole/" + peerRole, Instant.now(),
                4, 4, 4, 4, 4, 4, 4, 4, 4, 4));
        String score = only(written, Observation.class).getIdElement().getIdPart();
        String response = only(written, QuestionnaireResponse.class).getIdElement().getIdPart();

        // another peer, not on the person's care team
        assertThatThrownBy(() -> record(otherPeer(), barc10(patient, "PractitionerRole/" + otherPeerRole,
                Instant.now(), 4, 4, 4, 4, 4, 4, 4, 4, 4, 4))).isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> otherPeer().read().resource(Observation.class).withId(score).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> otherPeer().read().resource(QuestionnaireResponse.class).withId(response).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        Bundle search = otherPeer().search().byUrl("Observation?subject=Patient/" + patient)
                .returnBundle(Bundle.class).execute();
        assertThat(search.getEntry()).isEmpty();
        // the person's own peer writes only as themselves
        assertThatThrownBy(() -> record(peer(), barc10(patient, "PractitionerRole/" + otherPeerRole, Instant.now(),
                4, 4, 4, 4, 4, 4, 4, 4, 4, 4))).isInstanceOf(ForbiddenOperationException.class);
        assertThat(count("Observation?subject=Patient/" + patient)).isEqualTo(1);
        // and reads what they recorded
        assertThat(peer().read().resource(Observation.class).withId(score).execute().getValueIntegerType().getValue())
                .isEqualTo(40);
    }

    @Test
    void outsideTheProgramTheScoresLeaveOnlyUnderThePersonsConsent() {
        String patient = mentee()[0];
        String score = only(record(peer(), barc10(patient, "PractitionerRole/" + peerRole, Instant.now(),
                2, 2, 2, 2, 2, 2, 2, 2, 2, 2)), Observation.class).getIdElement().getIdPart();
        String outsideClient = "outside-hie-" + RUN;
        String outside = FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=" + outsideClient);
        assertThat(FhirServer.get("/Observation/" + score, "Authorization", "Bearer " + outside).statusCode())
                .isEqualTo(403);
        assertThat(FhirServer.get("/Observation?subject=Patient/" + patient, "Authorization", "Bearer " + outside)
                .body()).doesNotContain(score);

        String consent = "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"IDSCL\"}]}],"
                + "\"patient\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"policy\":[{\"uri\":\"https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2\"}],"
                + "\"provision\":{\"type\":\"permit\",\"actor\":[{\"role\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                + "\"reference\":{\"identifier\":{\"system\":\"urn:ietf:params:oauth:client-id\",\"value\":\""
                + outsideClient + "\"}}}],\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\","
                + "\"code\":\"TREAT\"}],\"securityLabel\":[{\"system\":\"" + ACT_CODE + "\",\"code\":\"SUD\"}]}}";
        assertThat(FhirServer.send("POST", "/Consent", "application/fhir+json", consent).statusCode()).isEqualTo(201);
        var disclosed = FhirServer.get("/Observation/" + score, "Authorization", "Bearer " + outside);
        assertThat(disclosed.statusCode()).isEqualTo(200);
        assertThat(disclosed.body()).contains("NORDSCLCD").contains("\"valueInteger\":20");
    }
}
