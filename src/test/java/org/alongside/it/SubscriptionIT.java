package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * rest-hook Subscriptions as an EHR integrator uses them, over HTTP against a real receiver. A Subscription delivers
 * its events strictly in order, so "nothing else arrived" is proven without waiting: a sentinel change written last
 * arrives last, and anything recorded before it would have arrived before it.
 */
class SubscriptionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final IGenericClient client = FhirServer.client();
    private final HookReceiver receiver = new HookReceiver();
    /** Patients with an identifier in this system match this test's Subscriptions; others don't. */
    private final String system = FhirServer.uniqueSystem();

    private final List<String> registered = new java.util.ArrayList<>();

    /** Deleted after each test, so that they stop retrying against the closed receiver. */
    @AfterEach
    void deleteSubscriptionsAndCloseReceiver() {
        for (String id : registered) {
            client.delete().resourceById(new IdType("Subscription", id)).execute();
        }
        receiver.close();
    }

    // ---------------------------------------------------------------- helpers

    private Subscription subscription(String criteria, String payload, String... headers) {
        Subscription subscription = new Subscription();
        subscription.setStatus(SubscriptionStatus.REQUESTED);
        subscription.setReason("EHR sync test");
        subscription.setCriteria(criteria);
        subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(receiver.url("/hook"))
                .setPayload(payload);
        for (String header : headers) {
            subscription.getChannel().addHeader(header);
        }
        return subscription;
    }

    private String register(Subscription subscription) {
        MethodOutcome outcome = client.create().resource(subscription).execute();
        assertThat(outcome.getCreated()).isTrue();
        registered.add(outcome.getId().getIdPart());
        return outcome.getId().getIdPart();
    }

    private Subscription read(String id) {
        return client.read().resource(Subscription.class).withId(id).execute();
    }

    private Patient patient(String identifierSystem, String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(identifierSystem).setValue("mrn-" + System.nanoTime());
        patient.addName().setFamily(family);
        return patient;
    }

    /** Creates the patient; returns its id. */
    private String create(Patient patient) {
        return client.create().resource(patient).execute().getId().getIdPart();
    }

    private Subscription awaitStatus(String id, Predicate<Subscription> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Subscription current = read(id);
            if (condition.test(current)) {
                return current;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Subscription/" + id + " never became " + what + "; it is "
                        + current.getStatus() + " (" + current.getError() + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    // ---------------------------------------------------------------- delivery

    /**
     * An administrator may manage Subscriptions but reads no clinical records: a full-payload Subscription they write
     * is told that something matched (the event number, in order) but never what, the resource nor its id. The
     * deliveries read as the Subscription's owner, through the one door.
     */
    @Test
    void aSubscriptionCarriesOnlyWhatItsOwnerMayReadAnAdministratorsNothingButTheEventNumber() {
        IGenericClient admin = FhirServer.clientWith(FhirServer.token("admin", "Practitioner/sub-admin-" + system.hashCode(),
                "user/*.cruds", null));
        MethodOutcome created = admin.create().resource(subscription("Patient?identifier=" + system + "|",
                "application/fhir+json")).execute();
        registered.add(created.getId().getIdPart());
        String first = create(patient(system, "Withheld"));
        String second = create(patient(system, "AlsoWithheld"));

        List<HookReceiver.Request> got = receiver.awaitAccepted(2, WAIT);
        assertThat(got).extracting(HookReceiver.Request::eventNumber).containsExactly(1L, 2L);
        for (HookReceiver.Request request : got) {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/hook");
            assertThat(request.body()).isEmpty();
            assertThat(request.header("X-Alongside-Resource")).isNull();
            assertThat(String.valueOf(request.headers())).doesNotContain(first, second, "Withheld");
        }
    }

    @Test
    void fullPayloadIsPutForEachMatchingVersionWithHeadersAndIncreasingEventNumbers() {
        String subscriptionId = register(subscription("Patient?identifier=" + system + "|", "application/fhir+json",
                "Authorization: Bearer receiver-token", "X-Tenant: clinic-7"));
        Subscription registered = read(subscriptionId);
        assertThat(registered.getStatus()).as("requested is accepted as active").isEqualTo(SubscriptionStatus.ACTIVE);

        create(patient(FhirServer.uniqueSystem(), "Other"));                       // no match: other system
        Patient first = patient(system, "First");
        String firstId = create(first);                                             // event 1
        first.setId(firstId);
        first.getNameFirstRep().setFamily("First-Renamed");
        client.update().resource(first).execute();                                  // event 2
        create(patient(FhirServer.uniqueSystem(), "Another"));                     // no match
        client.delete().resourceById(new IdType("Patient", firstId)).execute();     // a deletion notifies nobody
        String sentinel = create(patient(system, "Sentinel"));                      // event 3

        List<HookReceiver.Request> got = receiver.awaitAccepted(3, WAIT);
        assertThat(got).hasSize(3);
        assertThat(got).extracting(HookReceiver.Request::method).containsOnly("PUT");
        assertThat(got).extracting(HookReceiver.Request::path)
                .containsExactly("/hook/Patient/" + firstId, "/hook/Patient/" + firstId, "/hook/Patient/" + sentinel);
        assertThat(got).extracting(HookReceiver.Request::eventNumber).containsExactly(1L, 2L, 3L);
        assertThat(got).extracting(r -> r.header("X-Alongside-Resource")).containsExactly(
                "Patient/" + firstId + "/_history/1", "Patient/" + firstId + "/_history/2",
                "Patient/" + sentinel + "/_history/1");
        for (HookReceiver.Request request : got) {
            assertThat(request.header("Authorization")).isEqualTo("Bearer receiver-token");
            assertThat(request.header("X-Tenant")).isEqualTo("clinic-7");
            assertThat(request.header("X-Alongside-Subscription")).isEqualTo("Subscription/" + subscriptionId);
            assertThat(request.header("X-Alongside-Instance")).isNotBlank();
            assertThat(request.header("Content-Type")).startsWith("application/fhir+json");
        }
        Patient secondVersion = FhirServer.FHIR.newJsonParser().parseResource(Patient.class, got.get(1).body());
        assertThat(secondVersion.getIdElement().getIdPart()).isEqualTo(firstId);
        assertThat(secondVersion.getMeta().getVersionId()).isEqualTo("2");
        assertThat(secondVersion.getNameFirstRep().getFamily()).isEqualTo("First-Renamed");
    }

    @Test
    void withoutPayloadTheNotificationIsAnEmptyPostToTheEndpoint() {
        String subscriptionId = register(subscription("Patient?identifier=" + system + "|", null));
        String patientId = create(patient(system, "Quiet"));

        HookReceiver.Request notification = receiver.awaitAccepted(1, WAIT).get(0);
        assertThat(notification.method()).isEqualTo("POST");
        assertThat(notification.path()).isEqualTo("/hook");
        assertThat(notification.body()).isEmpty();
        assertThat(notification.eventNumber()).isEqualTo(1);
        assertThat(notification.header("X-Alongside-Resource")).isEqualTo("Patient/" + patientId + "/_history/1");
        assertThat(notification.header("X-Alongside-Subscription")).isEqualTo("Subscription/" + subscriptionId);
    }

    @Test
    void xmlPayloadIsSentAsXml() {
        register(subscription("Patient?identifier=" + system + "|", "application/fhir+xml"));
        String patientId = create(patient(system, "Xml"));

        HookReceiver.Request notification = receiver.awaitAccepted(1, WAIT).get(0);
        assertThat(notification.method()).isEqualTo("PUT");
        assertThat(notification.path()).isEqualTo("/hook/Patient/" + patientId);
        assertThat(notification.header("Content-Type")).startsWith("application/fhir+xml");
        assertThat(FhirServer.FHIR.newXmlParser().parseResource(Patient.class, notification.body())
                .getNameFirstRep().getFamily()).isEqualTo("Xml");
    }

    @Test
    void criteriaMeanWhatTheyMeanInASearchIncludingChains() {
        String patientId = create(patient(system, "Chained"));
        String otherPatient = create(patient(FhirServer.uniqueSystem(), "Unrelated"));
        register(subscription("Communication?status=completed&subject:Patient.identifier=" + system + "|", null));

        Communication unrelated = new Communication();
        unrelated.setStatus(Communication.CommunicationStatus.COMPLETED).setSubject(new Reference("Patient/" + otherPatient));
        client.create().resource(unrelated).execute();
        Communication inProgress = new Communication();
        inProgress.setStatus(Communication.CommunicationStatus.INPROGRESS).setSubject(new Reference("Patient/" + patientId));
        client.create().resource(inProgress).execute();
        Communication matching = new Communication();
        matching.setStatus(Communication.CommunicationStatus.COMPLETED).setSubject(new Reference("Patient/" + patientId));
        String matchingId = client.create().resource(matching).execute().getId().getIdPart();

        List<HookReceiver.Request> got = receiver.awaitAccepted(1, WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).header("X-Alongside-Resource")).isEqualTo("Communication/" + matchingId + "/_history/1");
    }

    // ---------------------------------------------------------------- failures, status, off

    @Test
    void failuresRetryWithBackoffShowAsErrorAndTheBacklogArrivesInOrderOnceTheEndpointRecovers() {
        receiver.failWith(500);
        String subscriptionId = register(subscription("Patient?identifier=" + system + "|", "application/fhir+json"));
        String a = create(patient(system, "Confidential-Alpha"));
        String b = create(patient(system, "Confidential-Beta"));
        String c = create(patient(system, "Confidential-Gamma"));

        Subscription failing = awaitStatus(subscriptionId, s -> s.getStatus() == SubscriptionStatus.ERROR, "error");
        assertThat(failing.getError()).contains("event 1").contains("HTTP 500").doesNotContain("Confidential");
        List<HookReceiver.Request> attempts = receiver.await(r -> r.size() >= 3, WAIT, "three attempts");
        assertThat(attempts).as("only the oldest event is retried; nothing overtakes it")
                .extracting(HookReceiver.Request::eventNumber).containsOnly(1L);
        assertThat(attempts).extracting(HookReceiver.Request::path).containsOnly("/hook/Patient/" + a);

        receiver.failWith(0);
        List<HookReceiver.Request> delivered = receiver.awaitAccepted(3, WAIT);
        assertThat(delivered).extracting(HookReceiver.Request::eventNumber).containsExactly(1L, 2L, 3L);
        assertThat(delivered).extracting(HookReceiver.Request::path)
                .containsExactly("/hook/Patient/" + a, "/hook/Patient/" + b, "/hook/Patient/" + c);
        Subscription recovered = awaitStatus(subscriptionId, s -> s.getStatus() == SubscriptionStatus.ACTIVE, "active");
        assertThat(recovered.hasError()).isFalse();
    }

    @Test
    void offRecordsNothingAndActiveAgainResumesNumbering() {
        Subscription subscription = subscription("Patient?identifier=" + system + "|", null);
        String subscriptionId = register(subscription);
        String before = create(patient(system, "Before"));
        receiver.awaitAccepted(1, WAIT);

        Subscription off = read(subscriptionId);
        off.setStatus(SubscriptionStatus.OFF);
        client.update().resource(off).execute();
        String whileOff = create(patient(system, "WhileOff"));

        Subscription on = read(subscriptionId);
        on.setStatus(SubscriptionStatus.REQUESTED);
        client.update().resource(on).execute();
        assertThat(read(subscriptionId).getStatus()).isEqualTo(SubscriptionStatus.ACTIVE);
        String after = create(patient(system, "After"));

        List<HookReceiver.Request> got = receiver.awaitAccepted(2, WAIT);
        assertThat(got).extracting(r -> r.header("X-Alongside-Resource"))
                .containsExactly("Patient/" + before + "/_history/1", "Patient/" + after + "/_history/1")
                .doesNotContain("Patient/" + whileOff + "/_history/1");
        assertThat(got).extracting(HookReceiver.Request::eventNumber).containsExactly(1L, 2L);
    }

    @Test
    void aTransactionThatFailsRecordsNoEvent() {
        register(subscription("Patient?identifier=" + system + "|", null));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
                .setResource(patient(system, "RolledBack"))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        // fails: If-Match on a resource that does not exist
        String missing = "does-not-exist-" + System.nanoTime();
        transaction.addEntry().setResource(patient(system, "Missing").setId(missing))
                .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/" + missing).setIfMatch("W/\"3\"");
        HttpResponse<String> failed = FhirServer.send("POST", "", "application/fhir+json",
                FhirServer.FHIR.newJsonParser().encodeResourceToString(transaction));
        assertThat(failed.statusCode()).as(failed.body()).isBetween(400, 499);

        String sentinel = create(patient(system, "Sentinel"));
        List<HookReceiver.Request> got = receiver.awaitAccepted(1, WAIT);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).header("X-Alongside-Resource")).isEqualTo("Patient/" + sentinel + "/_history/1");
        assertThat(got.get(0).eventNumber()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- refused Subscriptions

    @Test
    void subscriptionsTheServerCannotHonourAreRefusedWithAnOperationOutcomeAndNotStored() {
        String tag = FhirServer.uniqueSystem();
        assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"websocket\"}",
                "websocket is not supported", "rest-hook");
        assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"ftp://example.org/x\"}", "absolute http or https URL");
        assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"hooks/relative\"}", "absolute http or https URL");
        assertRefused(tag, "\"criteria\":\"Patient?nonsense=1\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\"}", "Unknown search parameter nonsense");
        assertRefused(tag, "\"criteria\":\"DiagnosticReport?code=1\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\"}", "DiagnosticReport is not supported");
        assertRefused(tag, "\"criteria\":\"Patient?_sort=name\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\"}", "_sort");
        assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\",\"payload\":\"text/plain\"}", "payload text/plain");
        assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\",\"header\":[\"no colon here\"]}", "channel.header[0]");
        assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\",\"header\":[\"Host: evil\"]}", "Host");
        assertRefused(tag, "\"criteria\":\"Subscription?status=active\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/x\"}", "cannot watch Subscription");

        HttpResponse<String> stored = FhirServer.get("/Subscription?_tag=" + tag + "|refused&_summary=count");
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.body()).contains("\"total\":0");
    }

    /**
     * The outbound rule over HTTP. The test servers list only {@code localhost} and {@code 127.0.0.1} (their hook
     * receivers), so every other internal address is under the default rule. Each literal below is refused before
     * anything is stored, so nothing is ever sent there.
     */
    @Test
    void anEndpointOnLoopbackLinkLocalOrAPrivateAddressIsRefusedUnlessItsHostIsListed() {
        String tag = FhirServer.uniqueSystem();
        for (String endpoint : List.of("http://127.0.0.2:9/", "http://[::1]:9/", "http://[::ffff:127.0.0.2]:9/",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:9/", "http://192.168.0.1:9/",
                "http://100.64.0.1:9/", "http://[fd00::1]:9/", "http://0.0.0.0:9/")) {
            assertRefused(tag, "\"criteria\":\"Patient?identifier=x|\",\"channel\":{\"type\":\"rest-hook\","
                    + "\"endpoint\":\"" + endpoint + "\"}", "Subscription.channel.endpoint", "non-public address");
        }
        HttpResponse<String> stored = FhirServer.get("/Subscription?_tag=" + tag + "|refused&_summary=count");
        assertThat(stored.body()).contains("\"total\":0");
    }

    private void assertRefused(String tag, String elements, String... expected) {
        String body = "{\"resourceType\":\"Subscription\",\"meta\":{\"tag\":[{\"system\":\"" + tag
                + "\",\"code\":\"refused\"}]},\"status\":\"requested\",\"reason\":\"test\"," + elements + "}";
        HttpResponse<String> response = FhirServer.send("POST", "/Subscription", "application/fhir+json", body);
        assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(422);
        assertThat(response.body()).as(body).contains("OperationOutcome").contains(expected);
    }
}
