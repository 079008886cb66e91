package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search over the parameters the mentorship flows use, with sorting, paging and totals. The data set is
 * written once with identifiers under a system unique to this run, and every query is scoped by it.
 */
class SearchIT {

    private static final IGenericClient CLIENT = FhirServer.client();
    private static final String SYSTEM = FhirServer.uniqueSystem();
    private static final String CATEGORY_SYSTEM = "http://alongside.example/CodeSystem/message-category";
    private static String patient;
    private static String otherPatient;
    private static String peer;
    private static String plan;
    private static String referral;
    private static String encounter;
    private static String careTeam;

    @BeforeAll
    static void writeDataSet() {
        patient = create(new Patient().addIdentifier(identifier("p1")));
        otherPatient = create(new Patient().addIdentifier(identifier("p2")));
        peer = create(new PractitionerRole().addIdentifier(identifier("peer")));
        careTeam = create(new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE)
                .setSubject(new Reference(patient)).addIdentifier(identifier("team"))
                .addParticipant(new CareTeam.CareTeamParticipantComponent().setMember(new Reference(peer))));
        plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference(patient)).addCareTeam(new Reference(careTeam)).addIdentifier(identifier("plan"))
                .setPeriod(new Period().setStartElement(new DateTimeType("2026-01-01"))));
        referral = create(new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER).setSubject(new Reference(patient))
                .addBasedOn(new Reference(plan)).addPerformer(new Reference(peer)).addIdentifier(identifier("sr")));
        create(new Task().setStatus(Task.TaskStatus.ACCEPTED).setIntent(Task.TaskIntent.ORDER)
                .addBasedOn(new Reference(referral)).setFor(new Reference(patient)).setOwner(new Reference(peer))
                .addIdentifier(identifier("task")));
        Encounter session = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                .setSubject(new Reference(patient)).addBasedOn(new Reference(referral))
                .setPeriod(new Period().setStartElement(new DateTimeType("2026-03-10T15:00:00Z"))
                        .setEndElement(new DateTimeType("2026-03-10T15:45:00Z")));
        session.addParticipant().setIndividual(new Reference(peer));
        session.addIdentifier(identifier("enc"));
        encounter = create(session);
        for (int day = 1; day <= 7; day++) {
            Communication message = new Communication().setStatus(day == 7
                            ? Communication.CommunicationStatus.INPROGRESS : Communication.CommunicationStatus.COMPLETED)
                    .setSubject(new Reference(day % 2 == 0 ? otherPatient : patient))
                    .addRecipient(new Reference(day % 2 == 0 ? otherPatient : patient))
                    .setSender(new Reference(peer))
                    .setSentElement(new DateTimeType("2026-03-0" + day + "T09:00:00Z"))
                    .addBasedOn(new Reference(referral))
                    .setEncounter(day == 3 ? new Reference(encounter) : null);
            message.addCategory().addCoding().setSystem(CATEGORY_SYSTEM).setCode(day <= 3 ? "encouragement" : "advice");
            message.addIdentifier(identifier("msg-" + day));
            create(message);
        }
    }

    private static org.hl7.fhir.r4.model.Identifier identifier(String value) {
        return new org.hl7.fhir.r4.model.Identifier().setSystem(SYSTEM).setValue(value);
    }

    private static String create(Resource resource) {
        IdType id = (IdType) CLIENT.create().resource(resource).execute().getId();
        return id.toUnqualifiedVersionless().getValue();
    }

    private static Bundle search(String query) {
        return CLIENT.search().byUrl(query).returnBundle(Bundle.class).execute();
    }

    /** Communication identifiers (msg-N) matched by the query, scoped to this run's data set. */
    private static List<String> messages(String query) {
        Bundle bundle = search("Communication?identifier=" + SYSTEM + "|msg-1," + SYSTEM + "|msg-2," + SYSTEM
                + "|msg-3," + SYSTEM + "|msg-4," + SYSTEM + "|msg-5," + SYSTEM + "|msg-6," + SYSTEM + "|msg-7&" + query);
        return bundle.getEntry().stream()
                .map(e -> ((Communication) e.getResource()).getIdentifierFirstRep().getValue())
                .collect(Collectors.toList());
    }

    @Test
    void communicationsBySubjectPatientRecipientAndSender() {
        assertThat(messages("subject=" + patient)).containsExactlyInAnyOrder("msg-1", "msg-3", "msg-5", "msg-7");
        assertThat(messages("patient=" + new IdType(patient).getIdPart()))
                .containsExactlyInAnyOrder("msg-1", "msg-3", "msg-5", "msg-7");
        assertThat(messages("recipient=" + otherPatient)).containsExactlyInAnyOrder("msg-2", "msg-4", "msg-6");
        assertThat(messages("sender=" + peer)).hasSize(7);
        assertThat(messages("based-on=" + referral)).hasSize(7);
        assertThat(messages("encounter=" + encounter)).containsExactly("msg-3");
    }

    @Test
    void communicationsByStatusCategoryAndSentDate() {
        assertThat(messages("status=in-progress")).containsExactly("msg-7");
        assertThat(messages("status:not=in-progress")).hasSize(6);
        assertThat(messages("category=" + CATEGORY_SYSTEM + "|encouragement"))
                .containsExactlyInAnyOrder("msg-1", "msg-2", "msg-3");
        assertThat(messages("category=advice&subject=" + patient)).containsExactlyInAnyOrder("msg-5", "msg-7");
        assertThat(messages("sent=2026-03-02")).containsExactly("msg-2");
        assertThat(messages("sent=ge2026-03-05")).containsExactlyInAnyOrder("msg-5", "msg-6", "msg-7");
        assertThat(messages("sent=lt2026-03-03")).containsExactlyInAnyOrder("msg-1", "msg-2");
        assertThat(messages("sent=ge2026-03-02&sent=le2026-03-04"))
                .containsExactlyInAnyOrder("msg-2", "msg-3", "msg-4");
        assertThat(messages("sent:missing=true")).isEmpty();
    }

    @Test
    void sortsAscendingAndDescending() {
        assertThat(messages("_sort=sent")).containsExactly("msg-1", "msg-2", "msg-3", "msg-4", "msg-5", "msg-6", "msg-7");
        assertThat(messages("_sort=-sent")).containsExactly("msg-7", "msg-6", "msg-5", "msg-4", "msg-3", "msg-2", "msg-1");
        assertThat(messages("_sort=status,-sent")).containsExactly("msg-6", "msg-5", "msg-4", "msg-3", "msg-2",
                "msg-1", "msg-7");
    }

    @Test
    void pagesFollowNextAndPreviousLinksWithoutGapsOrRepeats() {
        Bundle page = search("Communication?identifier:missing=false&sender=" + peer + "&_sort=sent&_count=3"
                + "&_total=accurate");
        assertThat(page.getTotal()).isEqualTo(7);
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            page.getEntry().forEach(e -> seen.add(((Communication) e.getResource()).getIdentifierFirstRep().getValue()));
            if (page.getLink("next") == null) {
                break;
            }
            page = CLIENT.loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("msg-1", "msg-2", "msg-3", "msg-4", "msg-5", "msg-6", "msg-7");
        Bundle previous = CLIENT.loadPage().previous(page).execute();
        assertThat(((Communication) previous.getEntryFirstRep().getResource()).getIdentifierFirstRep().getValue())
                .isEqualTo("msg-4");
    }

    @Test
    void unsortedSearchesPageByKeyAndWritesBetweenPagesShiftNothing() {
        String sender = create(new PractitionerRole().addIdentifier(identifier("paging-peer")));
        for (int i = 1; i <= 7; i++) {
            Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                    .setSender(new Reference(sender));
            message.addIdentifier(identifier("paging-" + i));
            create(message);
        }
        Bundle page = search("Communication?sender=" + sender + "&_count=3");
        assertThat(page.getLink("next").getUrl()).contains("_cursor=").doesNotContain("_offset");
        List<String> seen = new ArrayList<>();
        page.getEntry().forEach(e -> seen.add(((Communication) e.getResource()).getIdentifierFirstRep().getValue()));
        // a write between two pages: with offsets the next page would now skip an entry; the key cursor does not
        CLIENT.delete().resourceById(page.getEntry().get(0).getResource().getIdElement().toUnqualifiedVersionless())
                .execute();
        while (page.getLink("next") != null) {
            page = CLIENT.loadPage().next(page).execute();
            page.getEntry().forEach(e -> seen.add(((Communication) e.getResource()).getIdentifierFirstRep().getValue()));
        }
        assertThat(seen).doesNotHaveDuplicates().hasSize(7);
    }

    @Test
    void sortedSearchesPageByPositionAcrossWritesTiesAndMissingValues() {
        String sender = create(new PractitionerRole().addIdentifier(identifier("sorted-peer")));
        // three share one sent time, two have none (they sort last), the rest are distinct
        String[] sent = {"2026-05-03T09:00:00Z", "2026-05-01T09:00:00Z", "2026-05-01T09:00:00Z", null,
            "2026-05-05T09:00:00Z", "2026-05-01T09:00:00Z", null, "2026-05-02T09:00:00Z", "2026-05-04T09:00:00Z"};
        for (int i = 0; i < sent.length; i++) {
            create(sortedMessage(sender, "sorted-" + (i + 1), sent[i]));
        }
        String query = "Communication?sender=" + sender + "&_sort=-sent&_count=2";
        Bundle page = search(query);
        assertThat(page.getLink("next").getUrl()).contains("_cursor=").doesNotContain("_offset");
        assertThat(page.getLink("previous")).isNull();
        List<String> seen = new ArrayList<>(identifiers(page));
        // between pages: one seen record goes, one arrives before the current position, one after it
        CLIENT.delete().resourceById(page.getEntry().get(0).getResource().getIdElement().toUnqualifiedVersionless())
                .execute();
        create(sortedMessage(sender, "sorted-new-first", "2026-06-01T09:00:00Z"));
        create(sortedMessage(sender, "sorted-new-late", "2026-04-01T09:00:00Z"));
        while (page.getLink("next") != null) {
            page = CLIENT.loadPage().next(page).execute();
            seen.addAll(identifiers(page));
        }
        assertThat(seen).doesNotHaveDuplicates().doesNotContain("sorted-new-first")
                .containsAll(List.of("sorted-1", "sorted-2", "sorted-3", "sorted-4", "sorted-5", "sorted-6",
                        "sorted-7", "sorted-8", "sorted-9", "sorted-new-late"));
        assertThat(seen.subList(0, 2)).containsExactly("sorted-5", "sorted-9");
        assertThat(seen.subList(seen.size() - 2, seen.size())).containsExactlyInAnyOrder("sorted-4", "sorted-7");

        // back to the start through previous links: the same order as one big page of the current state
        List<String> backward = new ArrayList<>();
        while (true) {
            backward.addAll(0, identifiers(page));
            if (page.getLink("previous") == null) {
                break;
            }
            page = CLIENT.loadPage().previous(page).execute();
        }
        assertThat(backward).containsExactlyElementsOf(identifiers(search(query.replace("_count=2", "_count=50"))));
    }

    @Test
    void offsetsAndCursorsOfAnotherSortAreRefused() {
        Bundle sorted = search("Communication?sender=" + peer + "&_sort=sent&_count=2");
        String cursor = sorted.getLink("next").getUrl().replaceAll(".*_cursor=([^&]*).*", "$1");
        for (String query : List.of("Communication?sender=" + peer + "&_sort=sent&_offset=2",
                "Communication?sender=" + peer + "&_sort=_id&_cursor=" + cursor,
                "Communication?sender=" + peer + "&_cursor=not-a-cursor")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> search(query)).as(query)
                    .isInstanceOfSatisfying(ca.uhn.fhir.rest.server.exceptions.InvalidRequestException.class,
                            e -> assertThat(e.getOperationOutcome()).isNotNull());
        }
    }

    private static Communication sortedMessage(String sender, String value, String sent) {
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSender(new Reference(sender));
        if (sent != null) {
            message.setSentElement(new DateTimeType(sent));
        }
        message.addIdentifier(identifier(value));
        return message;
    }

    private static List<String> identifiers(Bundle page) {
        return page.getEntry().stream()
                .map(e -> ((Communication) e.getResource()).getIdentifierFirstRep().getValue()).toList();
    }

    @Test
    void byDefaultATotalIsGivenWhenTheFirstPageHoldsEveryMatchAndCountedOnlyWhenAskedFor() {
        Bundle whole = search("Communication?sender=" + peer);
        assertThat(whole.getEntry()).hasSize(7);
        assertThat(whole.getTotal()).isEqualTo(7);

        Bundle first = search("Communication?sender=" + peer + "&_count=2");
        assertThat(first.getEntry()).hasSize(2);
        assertThat(first.hasTotal()).as("more pages follow and no total was asked for").isFalse();
        Bundle last = search("Communication?sender=" + peer + "&_count=5");
        Bundle second = CLIENT.loadPage().next(last).execute();
        assertThat(second.getEntry()).hasSize(2);
        assertThat(second.hasTotal()).as("a later page does not know the pages before it").isFalse();

        Bundle asked = search("Communication?sender=" + peer + "&_count=2&_total=accurate");
        assertThat(asked.getTotal()).isEqualTo(7);
        assertThat(CLIENT.loadPage().next(asked).execute().getTotal()).as("the next link keeps _total").isEqualTo(7);
    }

    @Test
    void summaryCountAndTotalNone() {
        Bundle count = CLIENT.search().byUrl("Communication?sender=" + peer).summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute();
        assertThat(count.getTotal()).isEqualTo(7);
        assertThat(count.getEntry()).isEmpty();

        Bundle noTotal = search("Communication?sender=" + peer + "&_total=none&_count=2");
        assertThat(noTotal.hasTotal()).isFalse();
        assertThat(noTotal.getEntry()).hasSize(2);
        assertThat(noTotal.getLink("next")).isNotNull();
    }

    @Test
    void idAndLastUpdated() {
        String id = new IdType(patient).getIdPart();
        assertThat(search("Patient?_id=" + id).getEntry()).hasSize(1);
        assertThat(search("Patient?_id=" + id + "&_lastUpdated=gt2000-01-01").getEntry()).hasSize(1);
        assertThat(search("Patient?_id=" + id + "&_lastUpdated=lt2000-01-01").getEntry()).isEmpty();
    }

    @Test
    void mentorshipResourcesBySubjectCareTeamPerformerAndPeriod() {
        assertThat(search("CarePlan?care-team=" + careTeam).getEntry()).hasSize(1);
        assertThat(search("CarePlan?patient=" + patient + "&status=active&date=ge2026-02-01").getEntry()).hasSize(1);
        assertThat(search("CareTeam?participant=" + peer + "&subject=" + patient).getEntry()).hasSize(1);
        assertThat(search("ServiceRequest?performer=" + peer + "&based-on=" + plan).getEntry()).hasSize(1);
        assertThat(search("Task?owner=" + peer + "&based-on=" + referral + "&status=accepted").getEntry()).hasSize(1);
        assertThat(search("Encounter?participant=" + peer + "&date=2026-03-10&subject=" + patient).getEntry())
                .hasSize(1);
        assertThat(search("Encounter?participant=" + peer + "&date=2026-03-11").getEntry()).isEmpty();
        assertThat(search("Encounter?based-on=" + referral).getEntry()).hasSize(1);
    }

    @Test
    void includesAndRevIncludesAddTheConnectedResourcesOnce() {
        Bundle withPlan = search("ServiceRequest?identifier=" + SYSTEM + "|sr&_include=ServiceRequest:based-on"
                + "&_include=ServiceRequest:performer&_revinclude=Task:based-on");
        assertThat(withPlan.getEntry()).extracting(e -> e.getSearch().getMode().toCode() + " "
                        + e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                .containsExactlyInAnyOrder("match " + referral, "include " + plan, "include " + peer,
                        "include " + taskRef());
        assertThat(withPlan.getTotal()).as("includes are not counted as matches").isEqualTo(1);

        // :iterate goes one more level: the CarePlan's care team, reached through the included plan
        Bundle iterated = search("ServiceRequest?identifier=" + SYSTEM + "|sr&_include=ServiceRequest:based-on"
                + "&_include:iterate=CarePlan:care-team");
        assertThat(iterated.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless()
                .getValue()).contains(careTeam);

        Bundle messages = search("Patient?_id=" + new IdType(patient).getIdPart() + "&_revinclude=Communication:subject");
        assertThat(messages.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .hasSize(4);
    }

    @Test
    void chainedAndReverseChainedParameters() {
        // messages whose subject is the patient with identifier p1 (one level of chaining, with and without type)
        assertThat(messages("subject:Patient.identifier=" + SYSTEM + "|p1"))
                .containsExactlyInAnyOrder("msg-1", "msg-3", "msg-5", "msg-7");
        assertThat(messages("subject.identifier=" + SYSTEM + "|p2")).containsExactlyInAnyOrder("msg-2", "msg-4", "msg-6");
        // patients that an in-progress message is about
        Bundle patients = search("Patient?identifier=" + SYSTEM + "|p1," + SYSTEM + "|p2"
                + "&_has:Communication:subject:status=in-progress");
        assertThat(patients.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless()
                .getValue()).containsExactly(patient);
        assertThat(search("CarePlan?care-team.participant=" + peer).getEntry()).hasSize(1);
        assertThat(FhirServer.get("/Communication?subject.organization.name=x").statusCode()).isEqualTo(400);
    }

    @Test
    void invalidIncludesAre400() {
        assertThat(FhirServer.get("/ServiceRequest?_include=ServiceRequest:status").statusCode()).isEqualTo(400);
        assertThat(FhirServer.get("/ServiceRequest?_include=Task:owner").statusCode()).isEqualTo(400);
        assertThat(FhirServer.get("/ServiceRequest?_include=ServiceRequest:*").statusCode()).isEqualTo(400);
    }

    private static String taskRef() {
        Bundle tasks = search("Task?identifier=" + SYSTEM + "|task");
        return tasks.getEntryFirstRep().getResource().getIdElement().toUnqualifiedVersionless().getValue();
    }

    @Test
    void postSearchMatchesGetSearch() {
        java.net.http.HttpResponse<String> response = FhirServer.send("POST", "/Communication/_search",
                "application/x-www-form-urlencoded", "sender=" + peer + "&_summary=count");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"total\":7");
    }
}
