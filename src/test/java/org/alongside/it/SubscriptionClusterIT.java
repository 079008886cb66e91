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
}
