package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The change feed ({@code _history?_sort=_lastUpdated}, oldest first, resumed through its next link) while
 * several clients write at once: a reader that keeps following the feed sees every version exactly once.
 * The IT servers hold back versions for {@code alongside.sync.settle-seconds} = 3 s (pom.xml).
 */
class ChangeFeedIT {

    private static final int SETTLE_SECONDS = Integer.getInteger("alongside.it.settleSeconds", 3);
    private final IGenericClient client = FhirServer.client();

    @Test
    void aReaderFollowingTheFeedDuringConcurrentWritesSeesEveryVersionOnce() throws Exception {
        String system = FhirServer.uniqueSystem();
        Instant start = Instant.now().minusSeconds(1);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        long writeUntil = System.currentTimeMillis() + 4000;
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                int n = 0;
                while (System.currentTimeMillis() < writeUntil) {
                    Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                            .setSubject(new Reference("Patient/feed"));
                    goal.getDescription().setText("goal " + writer + "-" + n++);
                    goal.addIdentifier().setSystem(system).setValue(writer + "-" + n);
                    MethodOutcome created = client.create().resource(goal).execute();
                    written.add(created.getId().toUnqualified().getValue());
                    goal.setId(created.getId().toUnqualifiedVersionless());
                    goal.getDescription().setText("revised " + writer + "-" + n);
                    written.add(client.update().resource(goal).execute().getId().toUnqualified().getValue());
                }
                return null;
            }));
        }

        List<String> seen = new ArrayList<>();
        Bundle page;
        // HAPI's fluent history API cannot ask for the ascending order: the feed is read by URL
        String next = FhirServer.fhirBase() + "/Goal/_history?_sort=_lastUpdated&_count=25&_since="
                + new InstantType(java.util.Date.from(start)).getValueAsString();
        long quietSince = 0;
        while (true) {
            page = client.search().byUrl(next).returnBundle(Bundle.class).execute();
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                Goal goal = (Goal) entry.getResource();
                if (goal != null && system.equals(goal.getIdentifierFirstRep().getSystem())) {
                    seen.add(new IdType(entry.getFullUrl()).toUnqualifiedVersionless().getValue() + "/_history/"
                            + entry.getResponse().getEtag().replaceAll("[^0-9]", ""));
                }
            }
            if (page.getLink("next") != null) {
                next = page.getLink("next").getUrl();
            }
            boolean writing = done.stream().anyMatch(f -> !f.isDone());
            if (!writing && page.getEntry().isEmpty()) {
                if (quietSince == 0) {
                    quietSince = System.currentTimeMillis();
                }
                if (System.currentTimeMillis() - quietSince > (SETTLE_SECONDS + 2) * 1000L) {
                    break;
                }
            } else {
                quietSince = 0;
            }
            Thread.sleep(page.getEntry().isEmpty() ? 300 : 0);
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();

        assertThat(written).hasSizeGreaterThan(20);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void theFeedRefusesOtherOrders() {
        assertThat(FhirServer.get("/Goal/_history?_sort=_id").statusCode()).isEqualTo(400);
        assertThat(FhirServer.get("/_history?_sort=-_lastUpdated&_count=1").statusCode()).isEqualTo(200);
    }
}
