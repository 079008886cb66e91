package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The change feed ({@code _history?_sort=_lastUpdated}, resumed through its next link) while four clients write at
 * once: a reader that keeps following the feed sees every version exactly once, on one instance and with writers
 * spread over two instances of one database. There is no settle window: the feed hands out a version as soon as
 * every transaction that took its place in the write order before it has finished. The lag from a write's
 * acknowledgement to the reader seeing it is written to {@code target/change-feed-lag-DATABASE.txt}; it is measured
 * here, not asserted (docs/benchmarks.md).
 */
class ChangeFeedIT {

    private static final int WRITERS = 4;
    private static final long WRITE_MILLIS = 4000;
    /** How long the reader keeps reading an empty feed before it gives up on versions still missing. */
    private static final long GIVE_UP_MILLIS = 20000;

    @Test
    void aReaderFollowingTheFeedDuringConcurrentWritesSeesEveryVersionOnce() throws Exception {
        Run run = followWhileWriting(List.of(FhirServer.client()));
        assertThat(run.written).hasSizeGreaterThan(20);
        assertThat(run.seen).doesNotHaveDuplicates();
        assertThat(run.seen).containsExactlyInAnyOrderElementsOf(run.written.keySet());
        report("one instance", run);
    }

    @Test
    void writersOnTwoInstancesAreFollowedWithoutSkipOrRepeat() throws Exception {
        String second = System.getProperty("alongside.it.secondBaseUrl");
        Assumptions.assumeTrue(second != null, "needs the second server of the PostgreSQL run");
        FhirServer.awaitReady(second);
        Run run = followWhileWriting(List.of(FhirServer.client(), FhirServer.client(second + "/fhir")));
        assertThat(run.written).hasSizeGreaterThan(20);
        assertThat(run.seen).doesNotHaveDuplicates();
        assertThat(run.seen).containsExactlyInAnyOrderElementsOf(run.written.keySet());
        report("two instances", run);
    }

    @Test
    void theFeedRefusesOtherOrders() {
        assertThat(FhirServer.get("/Goal/_history?_sort=_id").statusCode()).isEqualTo(400);
        assertThat(FhirServer.get("/_history?_sort=-_lastUpdated&_count=1").statusCode()).isEqualTo(200);
    }

    @Test
    void aCursorFromTheNewestFirstOrderCarriesOnInTheFeedFromTheSameVersion() {
        IGenericClient client = FhirServer.client();
        Goal goal = goal(FhirServer.uniqueSystem(), "cursor");
        goal.setId(client.create().resource(goal).execute().getId().toUnqualifiedVersionless());
        for (String text : List.of("second", "third")) {
            goal.getDescription().setText(text);
            client.update().resource(goal).execute();
        }
        String history = FhirServer.fhirBase() + "/" + goal.getIdElement().getValue() + "/_history";
        Bundle newest = client.search().byUrl(history + "?_count=2").returnBundle(Bundle.class).execute();
        assertThat(newest.getEntry()).extracting(e -> e.getResponse().getEtag()).containsExactly("W/\"3\"", "W/\"2\"");
        // a cursor stored from the other order (or before the feed moved to write order) points at version 2
        String cursor = newest.getLink("next").getUrl().replaceAll(".*[?&]_cursor=([^&]*).*", "$1");
        // the feed hands a version out once every older transaction of the database cluster has ended, and a long
        // one elsewhere (another schema, another application) holds it back meanwhile: the lag is measured, not zero
        Bundle feed = null;
        long deadline = System.currentTimeMillis() + 30_000;
        do {
            feed = client.search().byUrl(history + "?_sort=_lastUpdated&_cursor=" + cursor)
                    .returnBundle(Bundle.class).execute();
        } while (feed.getEntry().isEmpty() && System.currentTimeMillis() < deadline && pause(200));
        assertThat(feed.getEntry()).extracting(e -> e.getResponse().getEtag()).containsExactly("W/\"3\"");
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Run(Map<String, Long> written, List<String> seen, List<Long> lagMillis) {
    }

    /** Writes (create, then update) from four clients spread over the instances while one reader follows the feed. */
    private static Run followWhileWriting(List<IGenericClient> instances) throws Exception {
        String system = FhirServer.uniqueSystem();
        Instant start = Instant.now().minusSeconds(1);
        Map<String, Long> written = new ConcurrentHashMap<>(); // version -> when it was acknowledged (nanoTime)
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new ArrayList<>();
        long writeUntil = System.currentTimeMillis() + WRITE_MILLIS;
        for (int w = 0; w < WRITERS; w++) {
            IGenericClient client = instances.get(w % instances.size());
            int writer = w;
            done.add(writers.submit(() -> {
                int n = 0;
                while (System.currentTimeMillis() < writeUntil) {
                    Goal goal = goal(system, writer + "-" + n++);
                    MethodOutcome created = client.create().resource(goal).execute();
                    written.put(created.getId().toUnqualified().getValue(), System.nanoTime());
                    goal.setId(created.getId().toUnqualifiedVersionless());
                    goal.getDescription().setText("revised " + writer + "-" + n);
                    written.put(client.update().resource(goal).execute().getId().toUnqualified().getValue(),
                            System.nanoTime());
                }
                return null;
            }));
        }

        List<String> seen = new ArrayList<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        // HAPI's fluent history API cannot ask for the ascending order: the feed is read by URL
        String next = FhirServer.fhirBase() + "/Goal/_history?_sort=_lastUpdated&_count=25&_since="
                + new InstantType(java.util.Date.from(start)).getValueAsString();
        IGenericClient reader = instances.get(0);
        long quietSince = 0;
        while (true) {
            Bundle page = reader.search().byUrl(next).returnBundle(Bundle.class).execute();
            long now = System.nanoTime();
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                Goal goal = (Goal) entry.getResource();
                if (goal != null && system.equals(goal.getIdentifierFirstRep().getSystem())) {
                    String version = new IdType(entry.getFullUrl()).toUnqualifiedVersionless().getValue() + "/_history/"
                            + entry.getResponse().getEtag().replaceAll("[^0-9]", "");
                    seen.add(version);
                    seenAt.putIfAbsent(version, now);
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
                // every version is in, and a second of empty pages found no repeat; or give up on the missing ones
                boolean complete = seenAt.keySet().containsAll(written.keySet());
                long quiet = System.currentTimeMillis() - quietSince;
                if ((complete && quiet > 1000) || quiet > GIVE_UP_MILLIS) {
                    break;
                }
            } else {
                quietSince = 0;
            }
            Thread.sleep(page.getEntry().isEmpty() ? 50 : 0);
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();
        List<Long> lags = new ArrayList<>();
        written.forEach((version, acknowledged) -> {
            Long at = seenAt.get(version);
            if (at != null) {
                lags.add(Math.max(0, (at - acknowledged) / 1_000_000));
            }
        });
        return new Run(written, seen, lags.stream().sorted().toList());
    }

    private static Goal goal(String system, String label) {
        Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                .setSubject(new Reference("Patient/feed"));
        goal.getDescription().setText("goal " + label);
        goal.addIdentifier().setSystem(system).setValue(label);
        return goal;
    }

    private static void report(String setting, Run run) throws IOException {
        List<Long> lags = run.lagMillis;
        String line = String.format("%s, %s: %d versions from %d writers; lag from acknowledgement to the feed "
                        + "(reader polls every 50 ms when idle): p50 %d ms, p99 %d ms, max %d ms%n",
                FhirServer.database(), setting, run.written.size(), WRITERS, percentile(lags, 50), percentile(lags, 99),
                lags.isEmpty() ? 0 : lags.get(lags.size() - 1));
        System.out.print(line);
        Path file = Path.of("target", "change-feed-lag-" + FhirServer.database() + ".txt");
        Files.writeString(file, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
