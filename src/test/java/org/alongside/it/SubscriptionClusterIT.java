package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two Alongside instances on one PostgreSQL schema (the Failsafe PostgreSQL run starts both; see pom.xml), writes
 * spread over both, one receiver: every event is delivered exactly once, in order, and both instances deliver.
 */
class SubscriptionClusterIT {

    private static final int EVENTS = 200;

    @Test
    void twoInstancesDeliverEveryEventExactlyOnceInOrder() throws Exception {
        String second = System.getProperty("alongside.it.secondBaseUrl");
        Assumptions.assumeTrue(second != null, "needs the second server of the PostgreSQL run");
        FhirServer.awaitReady(second);
        List<IGenericClient> instances = List.of(FhirServer.client(), FhirServer.client(second + "/fhir"));
        String system = FhirServer.uniqueSystem();

        try (HookReceiver receiver = new HookReceiver()) {
            Subscription subscription = new Subscription();
            subscription.setStatus(SubscriptionStatus.REQUESTED).setReason("cluster test")
                    .setCriteria("Patient?identifier=" + system + "|");
            subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(receiver.url("/hook"));
            String subscriptionId = instances.get(1).create().resource(subscription).execute().getId().getIdPart();
            try {
                writeAndAwait(instances, system, receiver);
            } finally {
                instances.get(0).delete().resourceById(new IdType("Subscription", subscriptionId)).execute();
            }
        }
    }

    private static void writeAndAwait(List<IGenericClient> instances, String system, HookReceiver receiver)
            throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<String>> written = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            IGenericClient instance = instances.get(i % 2);
            int n = i;
            written.add(writers.submit(() -> {
                Patient patient = new Patient();
                patient.addIdentifier().setSystem(system).setValue("p" + n);
                return instance.create().resource(patient).execute().getId().getIdPart();
            }));
        }
        Set<String> ids = new java.util.HashSet<>();
        for (Future<String> future : written) {
            ids.add(future.get());
        }
        writers.shutdown();

        List<HookReceiver.Request> delivered = receiver.awaitAccepted(EVENTS, Duration.ofSeconds(240));
        assertThat(delivered).as("no event delivered twice").hasSize(EVENTS);
        assertThat(delivered).as("every event once, in order").extracting(HookReceiver.Request::eventNumber)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
        assertThat(delivered).extracting(r -> r.header("X-Alongside-Resource").split("/")[1])
                .containsExactlyInAnyOrderElementsOf(ids);
        Set<String> deliveringInstances = delivered.stream().map(r -> r.header("X-Alongside-Instance"))
                .collect(Collectors.toSet());
        assertThat(deliveringInstances).as("both instances delivered some").containsExactlyInAnyOrder("it-pg", "it-pg2");
        assertThat(receiver.all()).as("nothing was sent but the accepted notifications").hasSize(EVENTS);
    }

    /**
     * A topic-based Subscription (escalation-opened, filtered on one person) over the same two instances: the handshake
     * once, then every escalation exactly once, numbered 1..n in order, its focus the Task written, sent by both.
     */
    @Test
    void twoInstancesDeliverEveryTopicEventExactlyOnceInOrder() throws Exception {
        String second = System.getProperty("alongside.it.secondBaseUrl");
        Assumptions.assumeTrue(second != null, "needs the second server of the PostgreSQL run");
        FhirServer.awaitReady(second);
        List<IGenericClient> instances = List.of(FhirServer.client(), FhirServer.client(second + "/fhir"));
        String patient = instances.get(0).create().resource(new Patient()).execute().getId().getIdPart();
        String backport = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
        int events = 120;
        try (HookReceiver receiver = new HookReceiver()) {
            Subscription subscription = new Subscription();
            subscription.getMeta().addProfile(backport + "backport-subscription");
            subscription.setStatus(SubscriptionStatus.REQUESTED).setReason("cluster topic test")
                    .setCriteria("http://alongside.health/fhir/SubscriptionTopic/escalation-opened");
            subscription.getCriteriaElement().addExtension(backport + "backport-filter-criteria",
                    new org.hl7.fhir.r4.model.StringType("Task?patient=Patient/" + patient));
            subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(receiver.url("/topic"))
                    .setPayload("application/fhir+json").getPayloadElement().addExtension(
                            backport + "backport-payload-content", new org.hl7.fhir.r4.model.CodeType("id-only"));
            String subscriptionId = instances.get(1).create().resource(subscription).execute().getId().getIdPart();
            try {
                receiver.await(all -> !all.isEmpty(), Duration.ofSeconds(90), "the handshake");
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (instances.get(0).read().resource(Subscription.class).withId(subscriptionId).execute().getStatus()
                        != SubscriptionStatus.ACTIVE) {
                    assertThat(System.nanoTime()).as("the Subscription turns active").isLessThan(deadline);
                    Thread.sleep(200);
                }
                ExecutorService writers = Executors.newFixedThreadPool(8);
                List<Future<String>> written = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    IGenericClient instance = instances.get(i % 2);
                    written.add(writers.submit(() -> {
                        org.hl7.fhir.r4.model.Task task = new org.hl7.fhir.r4.model.Task()
                                .setStatus(org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED)
                                .setIntent(org.hl7.fhir.r4.model.Task.TaskIntent.ORDER)
                                .setFor(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
                        task.getCode().addCoding().setSystem("http://alongside.health/fhir/CodeSystem/crisis-support")
                                .setCode("peer-worried");
                        return "Task/" + instance.create().resource(task).execute().getId().getIdPart();
                    }));
                }
                Set<String> tasks = new java.util.HashSet<>();
                for (Future<String> future : written) {
                    tasks.add(future.get());
                }
                writers.shutdown();
                List<HookReceiver.Request> delivered = receiver.await(all -> all.stream()
                                .filter(r -> r.accepted() && r.header("X-Alongside-Event-Number") != null).count() >= events,
                        Duration.ofSeconds(240), events + " topic notifications").stream()
                        .filter(r -> r.accepted() && r.header("X-Alongside-Event-Number") != null).toList();
                assertThat(delivered).as("no event delivered twice").hasSize(events);
                assertThat(delivered).extracting(HookReceiver.Request::eventNumber)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, events).boxed().toList());
                List<String> focus = new ArrayList<>();
                for (HookReceiver.Request request : delivered) {
                    org.hl7.fhir.r4.model.Bundle bundle = FhirServer.FHIR.newJsonParser()
                            .parseResource(org.hl7.fhir.r4.model.Bundle.class, request.body());
                    org.hl7.fhir.r4.model.Parameters status =
                            (org.hl7.fhir.r4.model.Parameters) bundle.getEntryFirstRep().getResource();
                    status.getParameter().stream().filter(p -> p.getName().equals("notification-event"))
                            .flatMap(p -> p.getPart().stream()).filter(p -> p.getName().equals("focus"))
                            .forEach(p -> focus.add(((org.hl7.fhir.r4.model.Reference) p.getValue()).getReference()));
                }
                assertThat(focus).containsExactlyInAnyOrderElementsOf(tasks);
                assertThat(delivered.stream().map(r -> r.header("X-Alongside-Instance")).collect(Collectors.toSet()))
                        .as("both instances delivered some").containsExactlyInAnyOrder("it-pg", "it-pg2");
                assertThat(receiver.all()).as("the handshake and the accepted notifications, nothing else")
                        .hasSize(events + 1);
            } finally {
                instances.get(0).delete().resourceById(new IdType("Subscription", subscriptionId)).execute();
            }
        }
    }
}
