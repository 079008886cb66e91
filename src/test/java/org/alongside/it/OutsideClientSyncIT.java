package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * An outside client, not written by this project, syncs a data set in and out and checks it: the Node script
 * {@code src/test/outside-client/sync-check.mjs} drives the server with fhir-kit-client (another project's FHIR
 * client; the build runs {@code npm ci} there before the integration tests). It pushes a transaction Bundle with
 * urn:uuid references, conditional updates and a second transaction, then reads everything back through paged
 * searches, system history, the change feed and Bulk export, and compares each with what it sent; last, a JSON Patch
 * (and one with a stale If-Match), Patient/$everything page by page, {@code $expand} and {@code $validate-code}. This
 * test runs
 * it, holds its summary to the counts the data set must give (so a script that silently did nothing fails), and
 * then looks at the records from this side with HAPI's client.
 */
class OutsideClientSyncIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_SYSTEM = "urn:alongside:outside-client";
    /** 25 people: 50 goals, 50 sessions and 51 messages, so the IT servers (50 resources a file) split a type. */
    private static final int PATIENTS = 25;
    private static final long TIMEOUT_SECONDS = 600;

    private final IGenericClient client = FhirServer.client();

    @Test
    void anOutsideFhirClientSyncsADataSetInAndOutAndFindsItAsSent() throws Exception {
        String run = "it-" + FhirServer.database() + "-" + UUID.randomUUID().toString().substring(0, 8);

        JsonNode summary = runSyncCheck(run);

        // the data set: per person a plan, a team, a referral, 2 goals, 2 sessions and 2 messages; one more person
        // (created by a conditional update) and one more message (second transaction); 5 practitioners and roles
        Map<String, Integer> sent = Map.of("Patient", PATIENTS + 1, "CarePlan", PATIENTS, "CareTeam", PATIENTS,
                "ServiceRequest", PATIENTS, "Goal", 2 * PATIENTS, "Encounter", 2 * PATIENTS,
                "Communication", 2 * PATIENTS + 1, "Practitioner", 5, "PractitionerRole", 5, "Organization", 1);
        int resources = sent.values().stream().mapToInt(Integer::intValue).sum();
        // updated: patient-0 (conditional PUT), goal 0 and plan of 5 people, 5 more people (conditional PUT in a Bundle)
        int updated = 1 + 5 + 5 + 5;

        assertThat(summary.get("ok").asBoolean()).isTrue();
        assertThat(summary.get("run").asText()).isEqualTo(run);
        assertThat(counts(summary.get("sent"))).isEqualTo(sent);
        assertThat(summary.get("resources").asInt()).isEqualTo(resources);
        assertThat(summary.get("updated").asInt()).isEqualTo(updated);
        assertThat(summary.get("versions").asInt()).isEqualTo(resources + updated);
        assertThat(summary.get("transactionEntries").get(0).asInt()).isEqualTo(resources - 2); // walk-in, late message
        assertThat(summary.get("conditional").toString())
                .isEqualTo("{\"created\":1,\"updated\":1,\"unchanged\":1,\"existing\":1}");

        // (a) paged searches at 7 a page found every record of every type, unsorted and in three sort orders
        JsonNode search = summary.get("search");
        assertThat(search.get("pageSize").asInt()).isEqualTo(7);
        assertThat(counts(search.get("found"))).isEqualTo(sent);
        int minPages = sent.values().stream().mapToInt(n -> (n + 6) / 7).sum();
        assertThat(search.get("pages").asInt()).isGreaterThanOrEqualTo(minPages);
        assertThat(search.get("sortedPages").asInt()).isGreaterThanOrEqualTo(3 * minPages); // _id, -_lastUpdated, tied
        // plans with their teams (_include) and referrals (_revinclude), page by page
        assertThat(search.get("includePages").asInt()).isGreaterThanOrEqualTo((PATIENTS + 6) / 7);
        assertThat(search.get("included").asInt()).isEqualTo(2 * PATIENTS);
        // (b) history and change feed since before the push: every version written, each once
        int versionPages = (resources + updated + 6) / 7;
        assertThat(summary.get("history").get("versions").asInt()).isEqualTo(resources + updated);
        assertThat(summary.get("history").get("pages").asInt()).isGreaterThanOrEqualTo(versionPages);
        assertThat(summary.get("changeFeed").get("versions").asInt()).isEqualTo(resources + updated);
        assertThat(summary.get("changeFeed").get("pages").asInt()).isGreaterThanOrEqualTo(versionPages);
        // (c) Bulk export: every record, from at least one file per type plus the split one
        JsonNode export = summary.get("export");
        assertThat(export.get("resources").asInt()).isEqualTo(resources);
        assertThat(counts(export.get("perType"))).isEqualTo(sent);
        assertThat(export.get("files").asInt()).isGreaterThanOrEqualTo(sent.size() + 1);
        // (d) beyond sync: a JSON Patch and its stale If-Match, Patient/$everything page by page, terminology
        JsonNode surface = summary.get("surface");
        assertThat(surface.get("patch").get("to").asInt()).isEqualTo(surface.get("patch").get("from").asInt() + 1);
        assertThat(surface.get("patch").get("staleIfMatch").asInt()).isEqualTo(412);
        JsonNode everything = surface.get("everything");
        assertThat(everything.get("about").asInt()).as("records about the person in the data set").isGreaterThanOrEqualTo(3);
        assertThat(everything.get("missing").asInt()).isZero();
        assertThat(everything.get("entries").asInt()).isGreaterThan(everything.get("about").asInt());
        assertThat(everything.get("pages").asInt()).isGreaterThanOrEqualTo((everything.get("entries").asInt() + 2) / 3);
        assertThat(surface.get("expand").get("codes").toString()).contains("\"cravings\"");
        assertThat(surface.get("validateCode").toString()).isEqualTo("[true,false]");

        // From this side, with HAPI's client: the records are there, as many as the script says it wrote
        for (Map.Entry<String, Integer> type : sent.entrySet()) {
            Bundle count = client.search().forResource(type.getKey())
                    .where(new TokenClientParam("identifier").exactly().systemAndCode(RUN_SYSTEM, run))
                    .summaryMode(SummaryEnum.COUNT).returnBundle(Bundle.class).execute();
            assertThat(count.getTotal()).as(type.getKey()).isEqualTo(type.getValue());
        }
        // ... with the urn:uuid and conditional references resolved to the records they named, and the updates applied
        String keys = RUN_SYSTEM + ":" + run;
        Patient maria = one(Patient.class, keys, "patient-0");
        assertThat(maria.getMeta().getVersionId()).isEqualTo("2");
        assertThat(maria.getTelecomFirstRep().getValue()).isEqualTo("+1-555-0100");
        Goal goal = one(Goal.class, keys, "patient-0-goal-0");
        assertThat(goal.getMeta().getVersionId()).isEqualTo("2");
        assertThat(goal.getLifecycleStatus()).isEqualTo(Goal.GoalLifecycleStatus.COMPLETED);
        assertThat(goal.getSubject().getReference()).isEqualTo("Patient/" + maria.getIdPart());
        Encounter session = one(Encounter.class, keys, "patient-0-session-0");
        assertThat(session.getBasedOnFirstRep().getReference())
                .isEqualTo("ServiceRequest/" + one(org.hl7.fhir.r4.model.ServiceRequest.class, keys, "patient-0-referral").getIdPart());
        Patient last = one(Patient.class, keys, "patient-" + (PATIENTS - 1));
        Communication late = one(Communication.class, keys, "late-message");
        assertThat(late.getSubject().getReference()).isEqualTo("Patient/" + last.getIdPart());
        assertThat(late.getAboutFirstRep().getReference())
                .isEqualTo("Goal/" + one(Goal.class, keys, "patient-" + (PATIENTS - 1) + "-goal-1").getIdPart());
    }

    /** Runs the script against the server under test and returns its summary line, parsed. */
    private static JsonNode runSyncCheck(String run) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("alongside.it.outsideClient", "src/test/outside-client")).toAbsolutePath();
        assertThat(dir.resolve("node_modules/fhir-kit-client"))
                .as("the build runs npm ci in %s before the integration tests", dir).isDirectory();
        Path out = Files.createTempFile("sync-check-", ".out");
        Path err = Files.createTempFile("sync-check-", ".err");
        // a fresh token: the cached one may be old by now, and the export waits
        String token = FhirServer.fetchToken("role=ehr-system&scope="
                + URLEncoder.encode("system/*.cruds", StandardCharsets.UTF_8));
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("alongside.it.node", "node"), "sync-check.mjs")
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.put("FHIR_BASE", FhirServer.fhirBase());
        env.put("TOKEN", token);
        env.put("RUN_ID", run);
        env.put("PATIENTS", String.valueOf(PATIENTS));
        env.put("WAIT_SECONDS", "120");
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("sync-check.mjs did not finish in " + TIMEOUT_SECONDS + " s; stderr: " + read(err.toFile()));
            }
            String stdout = read(out.toFile());
            String stderr = read(err.toFile());
            assertThat(process.exitValue()).as("exit code of sync-check.mjs; stderr: %s; stdout: %s", stderr, stdout)
                    .isZero();
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("stdout of sync-check.mjs").isNotEmpty();
            JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
            System.out.println("sync-check.mjs against " + FhirServer.fhirBase() + ": " + summary);
            return summary;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(File file) throws IOException {
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
    }

    private static Map<String, Integer> counts(JsonNode object) {
        assertThat(object).as("a count per type").isNotNull();
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            counts.put(field.getKey(), field.getValue().asInt());
        }
        return counts;
    }

    /** The one resource of the type with the run's key identifier. */
    private <T extends org.hl7.fhir.r4.model.Resource> T one(Class<T> type, String system, String key) {
        Bundle bundle = client.search().forResource(type)
                .where(new TokenClientParam("identifier").exactly().systemAndCode(system, key))
                .returnBundle(Bundle.class).execute();
        assertThat(bundle.getEntry()).as("%s with %s|%s", type.getSimpleName(), system, key).hasSize(1);
        return type.cast(bundle.getEntryFirstRep().getResource());
    }
}
