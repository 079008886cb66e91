package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.alongside.testsupport.LocalServer;
import org.alongside.testsupport.OwnedServer;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost when the server is killed. A server of its own ({@link OwnedServer}) on the database of
 * this Failsafe execution (the embedded H2 default, or PostgreSQL in schema {@code alongside_crash}) takes writes
 * from four writers: creates and updates, transaction Bundles and {@code $record-peer-session}, watched by rest-hook
 * Subscriptions to a receiver on loopback. At a random moment, SIGKILL. After a restart:
 * <ul>
 *   <li>every acknowledged write is readable with the version it was acknowledged with, and that version holds what
 *       was written;</li>
 *   <li>no transaction and no session is half there (a Patient of a transaction without its Communication, an
 *       Encounter without its Procedure);</li>
 *   <li>every acknowledged write's Subscription event arrives, and every event that arrives is for a version that is
 *       stored (a write cut off by the kill either happened entirely, event included, or not at all).</li>
 * </ul>
 * A few seconds of writes: the point is the kill, not the load.
 */
class CrashIT {

    private static final String NUCC = "http://nucc.org/provider-taxonomy";
    private static final String FOCUS_AREA = "http://alongside.health/fhir/CodeSystem/focus-area";
    private static final int WRITERS = 4;

    /** Its own context: the suite's FhirServer would first wait for the shared server, which this test never uses. */
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
    }

    private static OwnedServer server;
    private static HookReceiver receiver;
    private static IGenericClient client;

    /** Identifier system of this run's transaction pairs (a Patient and a Communication share a value). */
    private final String pairs = "urn:uuid:" + UUID.randomUUID();
    /** "Type/id" → the last version acknowledged, and what each acknowledged version holds (its family name). */
    private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, String> familyOfVersion = new ConcurrentHashMap<>();
    private final Set<String> acknowledgedPairs = ConcurrentHashMap.newKeySet();
    private final Set<String> sessionEncounters = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startServer() {
        boolean postgres = System.getProperty("alongside.it.database", "h2").equals("postgresql");
        int port = postgres ? 9292 : 9290;
        OwnedServer.Builder builder = OwnedServer.builder(postgres ? "alongside-crash-pg" : "alongside-crash-h2")
                .httpPort(port)
                .variable("alongside.auth.devMode", "true")
                .variable("alongside.outbound.allowedHosts", "localhost,127.0.0.1")
                .variable("alongside.db.cleanOnStart", "true")
                .variable("alongside.subscription.pollIntervalMs", "200")
                .variable("alongside.subscription.backoffBaseMs", "200")
                .variable("alongside.subscription.backoffMaxMs", "1000")
                .variable("alongside.subscription.requestTimeoutMs", "2000")
                // the killed instance's claims lapse soon after the restart (a lease is at least 3 request timeouts)
                .variable("alongside.subscription.leaseSeconds", "6")
                .variable("alongside.subscription.instanceId", "crash");
        if (postgres) {
            builder.postgres("alongside_crash", null);
        }
        server = builder.create();
        server.startAndAwaitReady();
        server.setVariable("alongside.db.cleanOnStart", "false"); // the restart keeps the data
        receiver = new HookReceiver();
        client = ownedClient();
    }

    @AfterAll
    static void stopServer() {
        if (receiver != null) {
            receiver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static IGenericClient ownedClient() {
        IGenericClient generic = FHIR.newRestfulGenericClient(server.fhirBase());
        generic.registerInterceptor(new BearerTokenAuthInterceptor(
                LocalServer.devToken(server.baseUrl(), "role=ehr-system&scope=system/*.cruds")));
        return generic;
    }

    @Test
    void everyAcknowledgedWriteAndItsEventSurviveAKillNineAtARandomMoment() throws Exception {
        for (String type : List.of("Patient", "Communication", "Encounter")) {
            client.create().resource(subscription(type)).execute();
        }
        Session session = session();

        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            running.add(writers.submit(() -> write(session, killed)));
        }
        // at least a few writes acknowledged, then a random moment within the next 2.5 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acknowledged.size() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(ThreadLocalRandom.current().nextLong(200, 2500));
        killed.set(true);
        server.kill();
        writers.shutdown();
        assertThat(writers.awaitTermination(120, TimeUnit.SECONDS)).as("writers stopped").isTrue();
        for (Future<?> writer : running) {
            writer.get(); // rethrows what failed while the server was up
        }
        assertThat(acknowledged).as("writes acknowledged before the kill").hasSizeGreaterThanOrEqualTo(20);

        server.startAndAwaitReady();
        client = ownedClient();

        everyAcknowledgedVersionIsStoredAsWritten();
        noTransactionOrSessionIsHalfWritten(session);
        everyAcknowledgedEventArrivesAndNoneForAWriteNotStored();
        assertThat(server.stop(Duration.ofSeconds(60))).isPositive();
    }

    // ------------------------------------------------------------------ the writers

    /** Writes until the server is gone; each write acknowledged is noted with its version. */
    private void write(Session session, AtomicBoolean killed) {
        IGenericClient writer = ownedClient();
        while (!killed.get()) {
            try {
                switch (ThreadLocalRandom.current().nextInt(3)) {
                    case 0 -> createAndUpdate(writer);
                    case 1 -> transaction(writer);
                    default -> recordSession(writer, session);
                }
            } catch (ResourceVersionConflictException e) {
                // 409: lost a race with another writer, nothing written; not acknowledged, so not expected
            } catch (RuntimeException e) {
                if (!killed.get()) {
                    throw e; // a failure while the server was up is a failure of the test
                }
                return; // cut off by the kill: not acknowledged, so either stored entirely or not at all
            }
        }
    }

    private void createAndUpdate(IGenericClient writer) {
        Patient patient = new Patient();
        String family = "Crash-" + UUID.randomUUID();
        patient.addName().setFamily(family);
        MethodOutcome created = writer.create().resource(patient).execute();
        note(created.getId(), family);
        if (ThreadLocalRandom.current().nextBoolean()) {
            patient.setId(created.getId().toUnqualifiedVersionless());
            patient.getNameFirstRep().setFamily(family + "-v2");
            note(writer.update().resource(patient).execute().getId(), family + "-v2");
        }
    }

    private void transaction(IGenericClient writer) {
        String key = UUID.randomUUID().toString();
        Patient patient = new Patient();
        patient.setId(IdType.newRandomUuid());
        patient.addIdentifier().setSystem(pairs).setValue(key);
        patient.addName().setFamily("Pair-" + key);
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(new Reference(patient.getIdElement().getValue()));
        message.addIdentifier().setSystem(pairs).setValue(key);
        message.addPayload().setContent(new StringType("See you Friday"));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(patient.getIdElement().getValue()).setResource(patient).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        bundle.addEntry().setResource(message).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Communication");
        Bundle answer = writer.transaction().withBundle(bundle).execute();
        note(new IdType(answer.getEntry().get(0).getResponse().getLocation()), "Pair-" + key);
        note(new IdType(answer.getEntry().get(1).getResponse().getLocation()), null);
        acknowledgedPairs.add(key);
    }

    private void recordSession(IGenericClient writer, Session session) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.MINUTES);
        Parameters params = new Parameters();
        params.addParameter().setName("patient").setValue(new Reference(session.patient()));
        params.addParameter().setName("peer").setValue(new Reference(session.peer()));
        params.addParameter().setName("start").setValue(utc(end.minus(20, ChronoUnit.MINUTES)));
        params.addParameter().setName("end").setValue(utc(end));
        params.addParameter().setName("modality").setValue(new StringType("phone"));
        params.addParameter().setName("focus").setValue(new Coding(FOCUS_AREA, "cravings", null));
        params.addParameter().setName("whatWasDone").setValue(new StringType("Talked through the week"));
        params.addParameter().setName("response").setValue(new StringType("Felt steadier afterwards"));
        params.addParameter().setName("nextSteps").setValue(new StringType("Call on Friday"));
        Bundle answer = writer.operation().onType(Encounter.class).named("$record-peer-session")
                .withParameters(params).returnResourceType(Bundle.class).execute();
        for (Bundle.BundleEntryComponent entry : answer.getEntry()) {
            Resource resource = entry.getResource();
            // the session's records are new: version 1 unless the answer says otherwise
            String version = resource.getMeta().hasVersionId() ? resource.getMeta().getVersionId() : "1";
            note(new IdType(resource.fhirType(), resource.getIdElement().getIdPart(), version), null);
            if (resource instanceof Encounter) {
                sessionEncounters.add(resource.getIdElement().getIdPart());
            }
        }
    }

    private void note(IIdType id, String family) {
        String key = id.getResourceType() + "/" + id.getIdPart();
        int version = Integer.parseInt(id.getVersionIdPart());
        acknowledged.merge(key, version, Math::max);
        if (family != null) {
            familyOfVersion.put(key + "/_history/" + version, family);
        }
    }

    // ------------------------------------------------------------------ after the restart

    private void everyAcknowledgedVersionIsStoredAsWritten() {
        List<String> lost = new ArrayList<>();
        acknowledged.forEach((key, version) -> {
            String[] parts = key.split("/");
            for (int v = 1; v <= version; v++) {
                Resource stored;
                try {
                    stored = (Resource) client.read().resource(parts[0]).withIdAndVersion(parts[1], Integer.toString(v))
                            .execute();
                } catch (RuntimeException e) {
                    lost.add(key + "/_history/" + v + " (" + e.getClass().getSimpleName() + ")");
                    continue;
                }
                String family = familyOfVersion.get(key + "/_history/" + v);
                if (family != null && !family.equals(((Patient) stored).getNameFirstRep().getFamily())) {
                    lost.add(key + "/_history/" + v + " holds another version's content");
                }
            }
        });
        assertThat(lost).as("acknowledged versions missing after the restart, of %s", acknowledged.size()).isEmpty();
    }

    private void noTransactionOrSessionIsHalfWritten(Session session) {
        Set<String> patientKeys = identifierValues("Patient");
        Set<String> messageKeys = identifierValues("Communication");
        assertThat(patientKeys).as("transaction Patients and Communications come in pairs").isEqualTo(messageKeys)
                .containsAll(acknowledgedPairs);

        Bundle encounters = client.search().forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId(session.patient())).count(1000).returnBundle(Bundle.class).execute();
        Set<String> stored = new HashSet<>();
        encounters.getEntry().forEach(e -> stored.add(e.getResource().getIdElement().getIdPart()));
        assertThat(stored).containsAll(sessionEncounters);
        for (String encounter : stored) {
            Bundle procedures = client.search().forResource(Procedure.class)
                    .where(Procedure.ENCOUNTER.hasId("Encounter/" + encounter)).returnBundle(Bundle.class).execute();
            assertThat(procedures.getEntry()).as("the Procedure of session Encounter/%s", encounter).isNotEmpty();
        }
    }

    private Set<String> identifierValues(String type) {
        Bundle page = client.search().forResource(type).where(new TokenClientParam("identifier").hasSystemWithAnyCode(pairs))
                .count(1000).returnBundle(Bundle.class).execute();
        assertThat(page.getLink(Bundle.LINK_NEXT)).as("one page holds them all").isNull();
        Set<String> values = new HashSet<>();
        for (Bundle.BundleEntryComponent entry : page.getEntry()) {
            Resource resource = entry.getResource();
            values.add(resource instanceof Patient p ? p.getIdentifierFirstRep().getValue()
                    : ((Communication) resource).getIdentifierFirstRep().getValue());
        }
        return values;
    }

    private void everyAcknowledgedEventArrivesAndNoneForAWriteNotStored() {
        Set<String> expected = new HashSet<>();
        acknowledged.forEach((key, version) -> {
            if (key.startsWith("Patient/") || key.startsWith("Communication/") || key.startsWith("Encounter/")) {
                for (int v = 1; v <= version; v++) {
                    expected.add(key + "/_history/" + v);
                }
            }
        });
        receiver.await(received -> notified(received).containsAll(expected), Duration.ofSeconds(120),
                expected.size() + " events of acknowledged writes");
        for (String version : notified(receiver.accepted())) {
            String[] parts = version.split("/");
            // throws (404, 410) for a version that is not stored
            client.read().resource(parts[0]).withIdAndVersion(parts[1], parts[3]).execute();
        }
    }

    private static Set<String> notified(List<HookReceiver.Request> requests) {
        Set<String> versions = new HashSet<>();
        requests.stream().filter(HookReceiver.Request::accepted)
                .forEach(r -> versions.add(r.header("X-Alongside-Resource")));
        return versions;
    }

    // ------------------------------------------------------------------ set-up

    private static Subscription subscription(String criteria) {
        Subscription subscription = new Subscription();
        subscription.setStatus(SubscriptionStatus.REQUESTED).setReason("crash test").setCriteria(criteria);
        subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(receiver.url("/crash"));
        return subscription;
    }

    /** A person with a care plan and an assigned peer, so that sessions can be recorded. */
    private record Session(String patient, String peer) {
    }

    private Session session() {
        String patient = create(new Patient().addName(new HumanName().setFamily("Mentee-" + UUID.randomUUID())));
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference(patient)).setTitle("Recovery plan");
        plan.addActivity().getDetail().setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS).setDescription("Weekly CBT");
        String planId = create(plan);
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference(create(new Practitioner().addName(new HumanName().setText("Peer")))))
                .setOrganization(new Reference(create(new Organization().setName("Harbor Recovery"))));
        role.addCode().addCoding(new Coding(NUCC, "175T00000X", null)).setText("Certified peer recovery specialist");
        String peer = create(role);
        String assigner = create(new Practitioner().addName(new HumanName().setText("Dr. Chen")));
        Parameters params = new Parameters();
        params.addParameter().setName("peer").setValue(new Reference(peer));
        params.addParameter().setName("assigner").setValue(new Reference(assigner));
        params.addParameter().setName("start")
                .setValue(new DateType(LocalDate.now(ZoneOffset.UTC).minusDays(1).toString()));
        client.operation().onInstance(new IdType(planId)).named("$assign-peer-mentor").withParameters(params)
                .returnResourceType(Bundle.class).execute();
        return new Session(patient, peer);
    }

    private String create(Resource resource) {
        IdType id = (IdType) client.create().resource(resource).execute().getId();
        note(id, resource instanceof Patient p ? p.getNameFirstRep().getFamily() : null);
        return id.getResourceType() + "/" + id.getIdPart();
    }

    private static DateTimeType utc(Instant instant) {
        return new DateTimeType(Date.from(instant), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
                TimeZone.getTimeZone("UTC"));
    }
}
