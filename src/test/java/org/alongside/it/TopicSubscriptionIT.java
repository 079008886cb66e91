package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Signature;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topic-based Subscriptions (Subscriptions Backport IG, R4) as an EHR integrator uses them, over HTTP with a real
 * receiver: the handshake, one notification per mentorship event with id-only or full-resource content, event numbers
 * without gaps, {@code $status}, {@code $events}, heartbeats, and what a subscriber who may not see a person gets.
 * Each Subscription filters on this test's people, so other tests' writes never reach it.
 */
class TopicSubscriptionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPICS = "http://alongside.health/fhir/SubscriptionTopic/";
    private static final String BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    private static final String PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static final IGenericClient EHR = FhirServer.client();
    private static String peer;
    private static String supervisor;
    private static String clinician;

    private final HookReceiver receiver = new HookReceiver();
    private final List<String> registered = new ArrayList<>();

    @BeforeAll
    static void staff() {
        String org = create(new Organization().setName("Topic clinic " + RUN));
        clinician = create(new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setText("Dr. Chen")));
        supervisor = role(org, null);
        peer = role(org, supervisor);
    }

    @AfterEach
    void deleteSubscriptionsAndCloseReceiver() {
        for (String id : registered) {
            EHR.delete().resourceById(new IdType("Subscription", id)).execute();
        }
        receiver.close();
    }

    // ---------------------------------------------------------------- the scene

    private static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }

    private static String role(String org, String supervisedBy) {
        String practitioner = create(new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setText("Peer")));
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference("Practitioner/" + practitioner))
                .setOrganization(new Reference("Organization/" + org));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        if (supervisedBy != null) {
            role.addExtension("http://alongside.health/fhir/StructureDefinition/supervised-by",
                    new Reference("PractitionerRole/" + supervisedBy));
        }
        return create(role);
    }

    /** A person with a care plan; returns [patient id, plan id]. */
    private static String[] person() {
        String patient = create(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Topic-" + RUN)));
        String plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + patient)));
        return new String[] {patient, plan};
    }

    private static Bundle onPlan(String plan, String operation, Parameters params) {
        return EHR.operation().onInstance(new IdType("CarePlan", plan)).named(operation).withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    private static String assign(String plan) {
        Bundle written = onPlan(plan, "$assign-peer-mentor", new Parameters()
                .addParameter("peer", new Reference("PractitionerRole/" + peer))
                .addParameter("assigner", new Reference("Practitioner/" + clinician)));
        return only(written, ServiceRequest.class).getIdElement().getIdPart();
    }

    private static void end(String plan) {
        onPlan(plan, "$end-peer-mentorship", new Parameters()
                .addParameter("peer", new Reference("PractitionerRole/" + peer))
                .addParameter("reason", new Coding("http://alongside.health/fhir/CodeSystem/end-reason", "goals-met", null))
                .addParameter("assigner", new Reference("Practitioner/" + clinician)));
    }

    /** Records a session with the person; returns the Encounter's id. */
    private static String session(String patient) {
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Parameters params = new Parameters()
                .addParameter("patient", new Reference("Patient/" + patient))
                .addParameter("peer", new Reference("PractitionerRole/" + peer))
                .addParameter("start", new DateTimeType(Date.from(start)))
                .addParameter("end", new DateTimeType(Date.from(start.plus(40, ChronoUnit.MINUTES))))
                .addParameter("modality", new StringType("video"))
                .addParameter("focus", new Coding("http://alongside.health/fhir/CodeSystem/focus-area", "cravings", null))
                .addParameter("whatWasDone", new StringType("Talked through the week"))
                .addParameter("response", new StringType("Felt heard"))
                .addParameter("nextSteps", new StringType("Call on Friday"));
        Bundle written = EHR.operation().onType(Encounter.class).named("$record-peer-session").withParameters(params)
                .returnResourceType(Bundle.class).execute();
        return only(written, Encounter.class).getIdElement().getIdPart();
    }

    private static String cosign(String encounter) {
        Provenance cosign = new Provenance().setRecorded(new Date());
        cosign.addTarget(new Reference("Encounter/" + encounter + "/_history/1"));
        cosign.addAgent().setWho(new Reference("PractitionerRole/" + peer)).getType()
                .addCoding(new Coding(PARTICIPANT, "author", null));
        cosign.addAgent().setWho(new Reference("PractitionerRole/" + supervisor)).getType()
                .addCoding(new Coding(PARTICIPANT, "verifier", null));
        cosign.addSignature(new Signature().addType(new Coding("urn:iso-astm:E1762-95:2013",
                "1.2.840.10065.1.12.1.5", null)).setWhen(new Date()).setWho(new Reference("PractitionerRole/" + supervisor))
                .setSigFormat("text/plain").setData("U2Ft".getBytes()));
        return create(cosign);
    }

    private static String returnNote(String encounter) {
        Provenance returned = new Provenance().setRecorded(new Date());
        returned.addTarget(new Reference("Encounter/" + encounter + "/_history/1"));
        returned.setActivity(new CodeableConcept(new Coding("http://alongside.health/fhir/CodeSystem/review-outcome",
                "returned", null)));
        returned.addReason().setText("Please add what comes next");
        returned.addAgent().setWho(new Reference("PractitionerRole/" + peer)).getType()
                .addCoding(new Coding(PARTICIPANT, "author", null));
        returned.addAgent().setWho(new Reference("PractitionerRole/" + supervisor)).getType()
                .addCoding(new Coding(PARTICIPANT, "performer", null));
        return create(returned);
    }

    private static String escalate(String patient) {
        Bundle written = EHR.operation().onInstance(new IdType("Patient", patient)).named("$escalate")
                .withParameters(new Parameters()
                        .addParameter("what", new StringType("Said goodbye on the group chat"))
                        .addParameter("urgency", new CodeType("urgent"))
                        .addParameter("requester", new Reference("PractitionerRole/" + peer)))
                .returnResourceType(Bundle.class).execute();
        return only(written, Task.class).getIdElement().getIdPart();
    }

    private static <T extends Resource> T only(Bundle bundle, Class<T> type) {
        List<T> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName() + " in " + bundle.getEntry().size() + " entries").hasSize(1);
        return found.get(0);
    }

    // ---------------------------------------------------------------- subscriptions and notifications

    private Subscription topicSubscription(String topic, String content, String patient, String path) {
        Subscription subscription = new Subscription();
        subscription.getMeta().addProfile(BACKPORT + "backport-subscription");
        subscription.setStatus(SubscriptionStatus.REQUESTED).setReason("mentorship events for the EHR")
                .setCriteria(TOPICS + topic);
        if (patient != null) {
            subscription.getCriteriaElement().addExtension(BACKPORT + "backport-filter-criteria",
                    new StringType("patient=Patient/" + patient));
        }
        subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(receiver.url(path))
                .setPayload("application/fhir+json").addHeader("Authorization: Bearer receiver-token");
        subscription.getChannel().getPayloadElement().addExtension(BACKPORT + "backport-payload-content",
                new CodeType(content));
        return subscription;
    }

    private String register(IGenericClient as, Subscription subscription) {
        String id = as.create().resource(subscription).execute().getId().getIdPart();
        registered.add(id);
        return id;
    }

    /** Registers and waits for the handshake to be accepted (the Subscription is then active). */
    private String subscribe(Subscription subscription) {
        return subscribe(EHR, subscription);
    }

    private String subscribe(IGenericClient as, Subscription subscription) {
        String id = register(as, subscription);
        String path = java.net.URI.create(subscription.getChannel().getEndpoint()).getPath();
        receiver.await(all -> all.stream().anyMatch(r -> r.path().equals(path) && "handshake".equals(type(r))),
                WAIT, "the handshake of Subscription/" + id);
        awaitStatus(id, s -> s.getStatus() == SubscriptionStatus.ACTIVE, "active");
        return id;
    }

    private Subscription awaitStatus(String id, Predicate<Subscription> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Subscription current = EHR.read().resource(Subscription.class).withId(id).execute();
            if (condition.test(current)) {
                return current;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Subscription/" + id + " never became " + what + "; it is "
                        + current.getStatus() + " (" + current.getError() + ")");
            }
            sleep(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static Bundle bundle(HookReceiver.Request request) {
        return FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, request.body());
    }

    private static Parameters status(Bundle bundle) {
        return (Parameters) bundle.getEntryFirstRep().getResource();
    }

    private static String param(Parameters parameters, String name) {
        return parameters.getParameter().stream().filter(p -> p.getName().equals(name)).findFirst()
                .map(p -> p.getValue().primitiveValue()).orElse(null);
    }

    private static String type(HookReceiver.Request request) {
        return request.body().isEmpty() ? null : param(status(bundle(request)), "type");
    }

    private static List<Parameters.ParametersParameterComponent> events(Bundle bundle) {
        return status(bundle).getParameter().stream().filter(p -> p.getName().equals("notification-event")).toList();
    }

    private static String part(Parameters.ParametersParameterComponent event, String name) {
        return event.getPart().stream().filter(p -> p.getName().equals(name)).findFirst()
                .map(p -> p.getValue() instanceof Reference r ? r.getReference() : p.getValue().primitiveValue())
                .orElse(null);
    }

    /** The event notifications received on one path, in arrival order. */
    private List<Bundle> notifications(String path, int count) {
        List<HookReceiver.Request> got = receiver.await(all -> all.stream().filter(r -> r.path().equals(path)
                && r.accepted() && "event-notification".equals(type(r))).count() >= count, WAIT,
                count + " event notifications on " + path);
        return got.stream().filter(r -> r.path().equals(path) && r.accepted() && "event-notification".equals(type(r)))
                .map(TopicSubscriptionIT::bundle).toList();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void eachMentorshipEventReachesItsSubscribersWithIdOnlyAndFullResourceContent() {
        String[] person = person();
        String patient = person[0];
        Map<String, String[]> topics = new LinkedHashMap<>();
        for (String topic : List.of("peer-mentor-assigned", "peer-session-recorded", "session-cosigned",
                "session-returned", "escalation-opened", "peer-mentor-assignment-ended")) {
            String idOnly = subscribe(topicSubscription(topic, "id-only", patient, "/ids/" + topic));
            String full = subscribe(topicSubscription(topic, "full-resource", patient, "/full/" + topic));
            topics.put(topic, new String[] {idOnly, full});
        }

        String referral = assign(person[1]);
        String encounter = session(patient);
        String cosignature = cosign(encounter);
        String returned = returnNote(encounter);
        String task = escalate(patient);
        end(person[1]);

        Map<String, String> focus = Map.of("peer-mentor-assigned", "ServiceRequest/" + referral,
                "peer-session-recorded", "Encounter/" + encounter, "session-cosigned", "Provenance/" + cosignature,
                "session-returned", "Provenance/" + returned, "escalation-opened", "Task/" + task,
                "peer-mentor-assignment-ended", "ServiceRequest/" + referral);
        for (Map.Entry<String, String[]> topic : topics.entrySet()) {
            String expected = focus.get(topic.getKey());
            Bundle idOnly = notifications("/ids/" + topic.getKey(), 1).get(0);
            assertThat(idOnly.getType()).isEqualTo(Bundle.BundleType.HISTORY);
            assertThat(param(status(idOnly), "topic")).isEqualTo(TOPICS + topic.getKey());
            assertThat(param(status(idOnly), "status")).isEqualTo("active");
            assertThat(param(status(idOnly), "events-since-subscription-start")).isEqualTo("1");
            assertThat(events(idOnly)).hasSize(1);
            assertThat(part(events(idOnly).get(0), "event-number")).isEqualTo("1");
            assertThat(part(events(idOnly).get(0), "focus")).as(topic.getKey()).isEqualTo(expected);
            assertThat(idOnly.getEntry()).as("id-only carries no resource").hasSize(1);

            Bundle full = notifications("/full/" + topic.getKey(), 1).get(0);
            assertThat(part(events(full).get(0), "focus")).isEqualTo(expected);
            assertThat(full.getEntry()).hasSize(2);
            Resource resource = full.getEntry().get(1).getResource();
            assertThat(resource.fhirType() + "/" + resource.getIdElement().getIdPart()).isEqualTo(expected);
            assertThat(full.getEntry().get(1).getFullUrl()).endsWith("/fhir/" + expected);
        }
        Resource ended = notifications("/full/peer-mentor-assignment-ended", 1).get(0).getEntry().get(1).getResource();
        assertThat(((ServiceRequest) ended).getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
        List<HookReceiver.Request> sample = receiver.all().stream().filter(r -> r.path().startsWith("/full/")).toList();
        assertThat(sample).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("Authorization")).isEqualTo("Bearer receiver-token");
            assertThat(r.header("Content-Type")).startsWith("application/fhir+json");
        });
    }

    @Test
    void theHandshakeComesFirstAndActivatesTheSubscription() {
        String[] person = person();
        String id = register(EHR, topicSubscription("peer-session-recorded", "id-only", person[0], "/hs"));
        assertThat(EHR.read().resource(Subscription.class).withId(id).execute().getStatus())
                .as("stays requested until the handshake is accepted")
                .isIn(SubscriptionStatus.REQUESTED, SubscriptionStatus.ACTIVE);
        HookReceiver.Request handshake = receiver.await(all -> !all.isEmpty(), WAIT, "the handshake").get(0);
        Parameters status = status(bundle(handshake));
        assertThat(param(status, "type")).isEqualTo("handshake");
        assertThat(param(status, "status")).isEqualTo("requested");
        assertThat(param(status, "events-since-subscription-start")).isEqualTo("0");
        assertThat(events(bundle(handshake))).isEmpty();
        awaitStatus(id, s -> s.getStatus() == SubscriptionStatus.ACTIVE, "active");
    }

    @Test
    void eventNumbersOfOneSubscriptionIncreaseWithoutGaps() {
        String[] person = person();
        assign(person[1]);
        String id = subscribe(topicSubscription("peer-session-recorded", "id-only", person[0], "/sessions"));
        List<String> encounters = List.of(session(person[0]), session(person[0]), session(person[0]));
        List<Bundle> got = notifications("/sessions", 3);
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Parameters.ParametersParameterComponent event = events(got.get(i)).get(0);
            assertThat(part(event, "event-number")).isEqualTo(Integer.toString(i + 1));
            assertThat(param(status(got.get(i)), "events-since-subscription-start")).isEqualTo(Integer.toString(i + 1));
            assertThat(part(event, "focus")).isEqualTo("Encounter/" + encounters.get(i));
        }
        assertThat(receiver.all().stream().filter(r -> "event-notification".equals(type(r)))
                .map(r -> r.header("X-Alongside-Event-Number")).toList()).containsExactly("1", "2", "3");
        assertThat(id).isNotBlank();
    }

    @Test
    void statusAndEventsLetAClientFetchAnEventItMissed() {
        String[] person = person();
        assign(person[1]);
        String id = subscribe(topicSubscription("peer-session-recorded", "id-only", person[0], "/missed"));
        receiver.failWith(503);
        String encounter = session(person[0]);
        awaitStatus(id, s -> s.getStatus() == SubscriptionStatus.ERROR, "error (the endpoint is down)");

        Bundle statusBundle = EHR.operation().onInstance(new IdType("Subscription", id)).named("$status")
                .withNoParameters(Parameters.class).useHttpGet().returnResourceType(Bundle.class).execute();
        assertThat(statusBundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        Parameters status = status(statusBundle);
        assertThat(param(status, "type")).isEqualTo("query-status");
        assertThat(param(status, "status")).isEqualTo("error");
        assertThat(param(status, "events-since-subscription-start")).as("the client learns it missed event 1")
                .isEqualTo("1");

        Bundle missed = EHR.operation().onInstance(new IdType("Subscription", id)).named("$events")
                .withParameter(Parameters.class, "eventsSinceNumber", new StringType("1"))
                .andParameter("eventsUntilNumber", new StringType("1"))
                .andParameter("content", new CodeType("full-resource"))
                .returnResourceType(Bundle.class).execute();
        assertThat(missed.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(param(status(missed), "type")).isEqualTo("query-event");
        assertThat(events(missed)).hasSize(1);
        assertThat(part(events(missed).get(0), "event-number")).isEqualTo("1");
        assertThat(part(events(missed).get(0), "focus")).isEqualTo("Encounter/" + encounter);
        assertThat(missed.getEntry().get(1).getResource()).isInstanceOf(Encounter.class);

        receiver.failWith(0);
        assertThat(notifications("/missed", 1)).hasSize(1);
        awaitStatus(id, s -> s.getStatus() == SubscriptionStatus.ACTIVE, "active again");
        Bundle afterDelivery = EHR.operation().onInstance(new IdType("Subscription", id)).named("$events")
                .withNoParameters(Parameters.class).useHttpGet().returnResourceType(Bundle.class).execute();
        assertThat(events(afterDelivery)).as("a delivered event stays available").hasSize(1);
        assertThat(afterDelivery.getEntry()).as("id-only, the Subscription's own content").hasSize(1);
    }

    @Test
    void aHeartbeatArrivesWhileNothingHappens() {
        String[] person = person();
        Subscription subscription = topicSubscription("escalation-opened", "empty", person[0], "/heartbeat");
        subscription.getChannel().addExtension(BACKPORT + "backport-heartbeat-period", new UnsignedIntType(1));
        String id = subscribe(subscription);
        HookReceiver.Request heartbeat = receiver.await(all -> all.stream().anyMatch(r -> "heartbeat".equals(type(r))),
                WAIT, "a heartbeat").stream().filter(r -> "heartbeat".equals(type(r))).findFirst().orElseThrow();
        Parameters status = status(bundle(heartbeat));
        assertThat(param(status, "status")).isEqualTo("active");
        assertThat(param(status, "events-since-subscription-start")).isEqualTo("0");
        assertThat(((Reference) status.getParameter().get(0).getValue()).getReference()).isEqualTo("Subscription/" + id);
        assertThat(events(bundle(heartbeat))).isEmpty();
    }

    @Test
    void anEmptyNotificationNamesTheEventButNoRecord() {
        String[] person = person();
        String id = subscribe(topicSubscription("escalation-opened", "empty", person[0], "/empty"));
        escalate(person[0]);
        Bundle got = notifications("/empty", 1).get(0);
        assertThat(events(got)).hasSize(1);
        assertThat(part(events(got).get(0), "event-number")).isEqualTo("1");
        assertThat(part(events(got).get(0), "focus")).isNull();
        assertThat(got.getEntry()).hasSize(1);
        assertThat(id).isNotBlank();
    }

    @Test
    void aSubscriberWhoMayNotSeeAPersonGetsTheEventNumberButNoRecordOfThem() {
        String[] seen = person();
        String[] unseen = person();
        assign(seen[1]);
        assign(unseen[1]);
        // an EHR app launched for one person: patient-level scopes reach that person only
        IGenericClient launched = FhirServer.clientWith(FhirServer.token("ehr-system", null,
                "launch/patient patient/*.cruds", seen[0]));
        subscribe(launched, topicSubscription("peer-session-recorded", "full-resource", unseen[0], "/unseen"));
        subscribe(launched, topicSubscription("peer-session-recorded", "full-resource", seen[0], "/seen"));
        session(unseen[0]);
        String visible = session(seen[0]);

        Bundle withheld = notifications("/unseen", 1).get(0);
        assertThat(part(events(withheld).get(0), "event-number")).isEqualTo("1");
        assertThat(part(events(withheld).get(0), "focus")).as("not even the id").isNull();
        assertThat(withheld.getEntry()).hasSize(1);
        assertThat(receiver.all().stream().filter(r -> r.path().equals("/unseen")).map(HookReceiver.Request::body)
                .noneMatch(body -> body.contains(unseen[0]))).isTrue();

        Bundle shown = notifications("/seen", 1).get(0);
        assertThat(part(events(shown).get(0), "focus")).isEqualTo("Encounter/" + visible);
        assertThat(shown.getEntry().get(1).getResource()).isInstanceOf(Encounter.class);
    }

    @Test
    void theSyncGuidesTopicExamplesRun() throws Exception {
        String output = GuideScript.run(GuideScript.blocks(GuideScript.read("docs/sync.md",
                "Topic-based subscriptions")), "topics-" + RUN, Map.of("HOOK", receiver.url("/guide")));
        assertThat(output).containsPattern("Subscription/\\S+ is active");
        assertThat(output).contains("status active", "events-since-subscription-start 1", "event-number 1",
                "focus Task/");
        assertThat(receiver.all()).extracting(TopicSubscriptionIT::type).contains("handshake");
        assertThat(receiver.all()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer hook-secret"));
    }

    @Test
    void aRecipientOutsideThePart2ProgramMayNotSubscribe() {
        String outside = FhirServer.fetchToken("role=ehr-system&scope=system/*.cruds&clientId=outside-ehr-" + RUN);
        Subscription subscription = topicSubscription("peer-session-recorded", "full-resource", null, "/outside");
        assertThatThrownBy(() -> FhirServer.clientWith(outside).create().resource(subscription).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(receiver.all()).isEmpty();
    }

    @Test
    void theOperationsAreForWhoMayReadTheSubscriptionAndCheckTheirInput() {
        String[] person = person();
        String id = register(EHR, topicSubscription("escalation-opened", "id-only", person[0], "/ops"));
        IGenericClient peerSpecialist = FhirServer.clientWith(FhirServer.token("peer-specialist", null,
                "user/*.cruds", null));
        assertThatThrownBy(() -> peerSpecialist.operation().onInstance(new IdType("Subscription", id)).named("$status")
                .withNoParameters(Parameters.class).useHttpGet().returnResourceType(Bundle.class).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> EHR.operation().onInstance(new IdType("Subscription", id)).named("$events")
                .withParameter(Parameters.class, "eventsSinceNumber", new StringType("zero"))
                .returnResourceType(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("eventsSinceNumber");
        HttpResponse<String> unknown = FhirServer.get("/Subscription/no-such-" + RUN + "/$status");
        assertThat(unknown.statusCode()).isEqualTo(404);

        Subscription plain = new Subscription().setStatus(SubscriptionStatus.REQUESTED).setReason("plain")
                .setCriteria("Patient?identifier=" + FhirServer.uniqueSystem() + "|");
        plain.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(receiver.url("/plain"));
        String plainId = register(EHR, plain);
        assertThatThrownBy(() -> EHR.operation().onInstance(new IdType("Subscription", plainId)).named("$events")
                .withNoParameters(Parameters.class).useHttpGet().returnResourceType(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not topic-based");

        Subscription unknownTopic = topicSubscription("escalation-opened", "id-only", null, "/x");
        unknownTopic.setCriteria("http://example.org/topics/admission");
        assertThatThrownBy(() -> EHR.create().resource(unknownTopic).execute())
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("unknown topic");
    }
}
