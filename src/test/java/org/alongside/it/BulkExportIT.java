package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Bulk Data $export over HTTP, as an EHR integrator runs it: kick-off, poll, manifest, NDJSON files, cancel, and
 * removal after the retention time (the IT servers keep finished jobs 30 s and split files at 50 resources; see
 * pom.xml). The database is shared by all tests, so every export is narrowed with {@code _since} and every check
 * looks only at resources this test created (an identifier system of its own).
 */
class BulkExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RETENTION_SECONDS = 30;
    private static final int FILE_LIMIT = 50;
    private final IGenericClient client = FhirServer.client();
    private final IParser parser = FhirServer.FHIR.newJsonParser();

    // ---- the flow ----

    @Test
    void systemExportWithTypeAndSinceWritesTheMatchingResourcesAsNdjson() throws Exception {
        String system = FhirServer.uniqueSystem();
        Patient old = create(patient(system, "old"));
        Instant since = pause();
        Patient first = create(patient(system, "p1"));
        Patient second = create(patient(system, "p2"));
        create(goal(system, "g1", "Patient/" + first.getIdPart()));
        create(new Practitioner().addIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(system).setValue("dr")));

        String kickOffUrl = "/$export?_type=Patient,Goal&_outputFormat=application%2Ffhir%2Bndjson&_since=" + instant(since);
        Instant beforeKickOff = Instant.now();
        String status = kickOff(kickOffUrl);
        JsonNode manifest = awaitManifest(status);

        Instant transactionTime = Instant.parse(manifest.get("transactionTime").asText());
        assertThat(transactionTime).isBetween(beforeKickOff.minusSeconds(1), Instant.now());
        assertThat(manifest.get("request").asText()).isEqualTo(FhirServer.fhirBase() + kickOffUrl);
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.get("error").isArray()).isTrue();
        assertThat(manifest.get("error")).isEmpty();
        assertThat(types(manifest)).isSubsetOf("Patient", "Goal").contains("Patient", "Goal");

        Map<String, List<Resource>> exported = download(manifest);
        assertThat(ids(exported.get("Patient"), system)).containsExactlyInAnyOrder("p1", "p2");
        assertThat(ids(exported.get("Goal"), system)).containsExactly("g1");
        for (Resource patient : exported.get("Patient")) {
            assertThat(patient.getMeta().getLastUpdated().toInstant()).isAfter(since).isBeforeOrEqualTo(transactionTime);
        }
        assertThat(exported.get("Patient")).extracting(r -> r.getIdElement().getIdPart())
                .contains(second.getIdPart()).doesNotContain(old.getIdPart());
    }

    @Test
    void patientExportContainsOnlyThePatientCompartment() throws Exception {
        String system = FhirServer.uniqueSystem();
        Instant since = pause();
        Patient patient = create(patient(system, "p"));
        create(goal(system, "goal-of-patient", "Patient/" + patient.getIdPart()));
        create(goal(system, "goal-of-organization", "Organization/clinic"));
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(new Reference("Patient/" + patient.getIdPart()));
        message.addIdentifier().setSystem(system).setValue("message");
        create(message);
        create(new Practitioner().addIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(system).setValue("dr")));

        JsonNode manifest = awaitManifest(kickOff("/Patient/$export?_since=" + instant(since)));

        assertThat(types(manifest)).doesNotContain("Practitioner", "PractitionerRole", "Organization");
        Map<String, List<Resource>> exported = download(manifest);
        List<String> mine = exported.values().stream().flatMap(List::stream).flatMap(r -> ids(List.of(r), system).stream())
                .toList();
        assertThat(mine).containsExactlyInAnyOrder("p", "goal-of-patient", "message");
    }

    @Test
    void aTypeWithManyResourcesIsSplitIntoFiles() throws Exception {
        String system = FhirServer.uniqueSystem();
        Instant since = pause();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        int count = FILE_LIMIT * 2 + 20;
        for (int i = 0; i < count; i++) {
            transaction.addEntry().setResource(goal(system, "g" + i, "Patient/split")).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        }
        client.transaction().withBundle(transaction).execute();

        JsonNode manifest = awaitManifest(kickOff("/$export?_type=Goal&_since=" + instant(since)));

        List<JsonNode> goalFiles = new ArrayList<>();
        manifest.get("output").forEach(goalFiles::add);
        assertThat(goalFiles.size()).isGreaterThanOrEqualTo(3);
        long total = 0;
        for (JsonNode file : goalFiles) {
            List<Resource> lines = lines(file.get("url").asText());
            assertThat(lines).hasSize(file.get("count").asInt()).hasSizeLessThanOrEqualTo(FILE_LIMIT);
            total += lines.size();
        }
        assertThat(total).isGreaterThanOrEqualTo(count);
        List<String> mine = ids(download(manifest).get("Goal"), system);
        assertThat(mine).hasSize(count).doesNotHaveDuplicates();
    }

    @Test
    void aResourceChangedAfterKickOffIsExportedAsItWasAtTheTransactionTime() throws Exception {
        String system = FhirServer.uniqueSystem();
        Instant since = pause();
        Goal changed = create(goal(system, "changed", "Patient/snapshot"));
        Goal deleted = create(goal(system, "deleted", "Patient/snapshot"));

        String status = kickOff("/$export?_type=Goal&_since=" + instant(since));
        // after the kick-off answered: the transaction time is behind us
        Goal update = goal(system, "changed", "Patient/snapshot");
        update.setId(changed.getIdElement().toUnqualifiedVersionless());
        update.getDescription().setText("changed after kick-off");
        client.update().resource(update).execute();
        client.delete().resourceById(deleted.getIdElement().toUnqualifiedVersionless()).execute();
        create(goal(system, "created-after", "Patient/snapshot"));

        Map<String, Goal> exported = new HashMap<>();
        for (Resource resource : download(awaitManifest(status)).get("Goal")) {
            Goal goal = (Goal) resource;
            if (system.equals(goal.getIdentifierFirstRep().getSystem())) {
                exported.put(goal.getIdentifierFirstRep().getValue(), goal);
            }
        }
        assertThat(exported).containsOnlyKeys("changed", "deleted");
        assertThat(exported.get("changed").getDescription().getText()).isEqualTo("goal changed");
        assertThat(exported.get("changed").getMeta().getVersionId()).isEqualTo("1");
        assertThat(client.read().resource(Goal.class).withId(changed.getIdPart()).execute().getMeta().getVersionId())
                .isEqualTo("2");
    }

    // ---- status, cancel, retention ----

    @Test
    void whileRunningTheStatusSaysSoAndUnknownJobsAre404() {
        // a job starts at once and this one is small: one of a few polls made right after kick-off finds it unfinished
        HttpResponse<String> running = null;
        String status = null;
        for (int attempt = 0; attempt < 3 && (running == null || running.statusCode() != 202); attempt++) {
            status = kickOff("/$export?_type=Practitioner&_since=" + instant(Instant.now()));
            running = FhirServer.get(status);
        }
        assertThat(running.statusCode()).isEqualTo(202);
        assertThat(running.headers().firstValue("X-Progress")).isPresent();
        assertThat(Integer.parseInt(running.headers().firstValue("Retry-After").orElseThrow())).isPositive();

        String unknown = "/$export-poll-status?_jobId=0b4b5a0e-1f55-4c3e-9d4a-2f3f6e1f0a01";
        assertOutcome(FhirServer.get(unknown), 404);
        assertOutcome(FhirServer.send("DELETE", unknown, null, null), 404);
        assertOutcome(FhirServer.get("/$export-poll-status?_jobId=not-a-job"), 404);
        assertOutcome(FhirServer.get("/$export-poll-status"), 400);
        assertOutcome(FhirServer.get("/$export-file?_jobId=0b4b5a0e-1f55-4c3e-9d4a-2f3f6e1f0a01&_file=Patient-1.ndjson"),
                404);
        assertThat(FhirServer.send("POST", status, "application/fhir+json", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void deleteCancelsAQueuedJob() {
        String status = kickOff("/$export?_type=Practitioner&_since=" + instant(Instant.now()));
        HttpResponse<String> cancelled = FhirServer.send("DELETE", status, null, null);
        assertOutcome(cancelled, 202);
        assertOutcome(FhirServer.get(status), 404);
        assertOutcome(FhirServer.send("DELETE", status, null, null), 404);
    }

    @Test
    void deleteOfACompletedJobRemovesItsFiles() throws Exception {
        CompletedExport export = completedExportOfOnePatient();
        String status = export.status();
        String fileUrl = export.fileUrl();
        assertThat(FhirServer.get(fileUrl).statusCode()).isEqualTo(200);

        assertOutcome(FhirServer.send("DELETE", status, null, null), 202);

        assertOutcome(FhirServer.get(status), 404);
        assertOutcome(FhirServer.get(fileUrl), 404);
        exportDirectory().ifPresent(dir -> assertThat(dir.resolve(jobId(status))).doesNotExist());
    }

    @Test
    void aJobAndItsFilesBelongToTheClientThatKickedItOff() throws Exception {
        CompletedExport export = completedExportOfOnePatient();
        String status = export.status();
        String fileUrl = export.fileUrl();
        // another EHR integration inside the program, allowed to export for itself
        String other = "Bearer " + FhirServer.fetchToken("role=ehr-system&scope=system%2F*.read&clientId=alongside-app");
        HttpResponse<String> own = FhirServer.get("/$export?_type=Practitioner&_since=" + instant(Instant.now()),
                "Prefer", "respond-async", "Authorization", other);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);

        // to it, the first client's job does not exist
        assertOutcome(FhirServer.get(status, "Authorization", other), 404);
        assertOutcome(FhirServer.get(fileUrl, "Authorization", other), 404);
        assertOutcome(FhirServer.send("DELETE", status, null, null, "Authorization", other), 404);

        assertThat(FhirServer.get(status).statusCode()).isEqualTo(200);
        assertThat(FhirServer.get(fileUrl).statusCode()).isEqualTo(200);
        String ownStatus = own.headers().firstValue("Content-Location").orElseThrow();
        assertOutcome(FhirServer.get(ownStatus), 404);
        assertOutcome(FhirServer.send("DELETE", ownStatus, null, null, "Authorization", other), 202);
    }

    @Test
    void finishedJobsAndTheirFilesAreRemovedAfterTheRetentionTime() throws Exception {
        CompletedExport export = completedExportOfOnePatient();
        String status = export.status();
        String fileUrl = export.fileUrl();
        exportDirectory().ifPresent(dir -> assertThat(dir.resolve(jobId(status))).isDirectory());

        long deadline = System.currentTimeMillis() + (RETENTION_SECONDS + 30) * 1000L;
        while (FhirServer.get(status).statusCode() == 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
        }
        assertOutcome(FhirServer.get(status), 404);
        assertOutcome(FhirServer.get(fileUrl), 404);
        exportDirectory().ifPresent(dir -> assertThat(dir.resolve(jobId(status))).doesNotExist());
    }

    @Test
    void jobsKickedOffTogetherRunOnceEach() throws Exception {
        String system = FhirServer.uniqueSystem();
        Instant since = pause();
        create(patient(system, "p"));
        // kicked off back to back, they fall due together and the worker claims them concurrently with its polls
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(kickOff("/$export?_type=Patient&_since=" + instant(since)));
        }
        assertThat(statuses).doesNotHaveDuplicates();
        for (String status : statuses) {
            assertThat(ids(download(awaitManifest(status)).get("Patient"), system)).containsExactly("p");
            // one claim per job: its files were written by attempt 1, and no other attempt left a directory
            exportDirectory().ifPresent(dir -> assertThat(listing(dir.resolve(jobId(status)))).containsExactly("1"));
        }
    }

    // ---- bad kick-offs ----

    @Test
    void badKickOffsAreRefusedWith400() {
        String async = "respond-async";
        assertOutcome(FhirServer.get("/$export"), 400);
        assertOutcome(FhirServer.get("/$export", "Prefer", "return=minimal"), 400);
        for (String query : new String[] {"_outputFormat=application%2Ffhir%2Bjson", "_outputFormat=text%2Fcsv",
                "_type=DiagnosticReport", "_type=Patient,", "_since=yesterday", "_since=2026-01-01",
                "_since=2026-01-01T00:00:00Z&_since=2026-01-02T00:00:00Z",
                "_typeFilter=" + URLEncoder.encode("Patient?active=true", StandardCharsets.UTF_8),
                "_elements=id", "_foo=bar"}) {
            assertOutcome(FhirServer.get("/$export?" + query, "Prefer", async), 400);
        }
        assertOutcome(FhirServer.get("/Patient/$export?_type=Practitioner", "Prefer", async), 400);
        HttpResponse<String> post = FhirServer.send("POST", "/$export", "application/fhir+json",
                "{\"resourceType\":\"Parameters\"}", "Prefer", async);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void lenientHandlingIgnoresUnsupportedParameters() throws Exception {
        String status = kickOffWith("/$export?_type=Practitioner&_elements=id&_since=" + instant(Instant.now()),
                "respond-async, handling=lenient");
        assertThat(FhirServer.send("DELETE", status, null, null).statusCode()).isEqualTo(202);
    }

    // ---- helpers ----

    /** The status URL of a finished export and the URL of its one file. */
    private record CompletedExport(String status, String fileUrl) {
    }

    /** Exports the Patients written since a moment ago (one, just created) and waits for the manifest. */
    private CompletedExport completedExportOfOnePatient() throws Exception {
        Instant since = pause();
        create(patient(FhirServer.uniqueSystem(), "p"));
        String status = kickOff("/$export?_type=Patient&_since=" + instant(since));
        return new CompletedExport(status, awaitManifest(status).get("output").get(0).get("url").asText());
    }

    private String kickOff(String path) {
        return kickOffWith(path, "respond-async");
    }

    private String kickOffWith(String path, String prefer) {
        HttpResponse<String> response = FhirServer.get(path, "Prefer", prefer, "Accept", "application/fhir+json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String location = response.headers().firstValue("Content-Location").orElseThrow();
        assertThat(location).startsWith(FhirServer.fhirBase() + "/$export-poll-status?_jobId=");
        return location;
    }

    private JsonNode awaitManifest(String status) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            HttpResponse<String> response = FhirServer.get(status);
            if (response.statusCode() == 200) {
                assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
                return JSON.readTree(response.body());
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(response.headers().firstValue("X-Progress")).isPresent();
            assertThat(System.currentTimeMillis()).as("export still running").isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** Every file of the manifest, each line parsed with HAPI, grouped by the file's type. */
    private Map<String, List<Resource>> download(JsonNode manifest) {
        Map<String, List<Resource>> byType = new HashMap<>();
        for (JsonNode file : manifest.get("output")) {
            String type = file.get("type").asText();
            List<Resource> lines = lines(file.get("url").asText());
            assertThat(lines).hasSize(file.get("count").asInt());
            assertThat(lines).allSatisfy(r -> assertThat(r.fhirType()).isEqualTo(type));
            byType.computeIfAbsent(type, t -> new ArrayList<>()).addAll(lines);
        }
        byType.values().forEach(list -> assertThat(list.stream().map(r -> r.getIdElement().getIdPart()))
                .doesNotHaveDuplicates());
        return byType;
    }

    private List<Resource> lines(String url) {
        HttpResponse<String> response = FhirServer.get(url, "Accept", "application/fhir+ndjson");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+ndjson");
        assertThat(response.body()).endsWith("\n");
        List<Resource> resources = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            IBaseResource resource = parser.parseResource(line);
            assertThat(resource.getIdElement().getIdPart()).isNotBlank();
            resources.add((Resource) resource);
        }
        return resources;
    }

    private static List<String> types(JsonNode manifest) {
        List<String> types = new ArrayList<>();
        manifest.get("output").forEach(file -> types.add(file.get("type").asText()));
        return types;
    }

    /** The identifier values, in the test's system, of the resources that have one. */
    private static List<String> ids(List<Resource> resources, String system) {
        List<String> values = new ArrayList<>();
        for (Resource resource : resources == null ? List.<Resource>of() : resources) {
            FhirServer.FHIR.newTerser().getValues(resource, "identifier", org.hl7.fhir.r4.model.Identifier.class)
                    .stream().filter(i -> system.equals(i.getSystem())).forEach(i -> values.add(i.getValue()));
        }
        return values;
    }

    private void assertOutcome(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(parser.parseResource(response.body())).isInstanceOf(OperationOutcome.class);
    }

    @SuppressWarnings("unchecked")
    private <T extends Resource> T create(T resource) {
        IdType id = (IdType) client.create().resource(resource).execute().getId();
        resource.setId(id.toUnqualifiedVersionless());
        return resource;
    }

    private static Patient patient(String system, String value) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(value);
        return patient;
    }

    private static Goal goal(String system, String value, String subject) {
        Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE).setSubject(new Reference(subject));
        goal.getDescription().setText("goal " + value);
        goal.addIdentifier().setSystem(system).setValue(value);
        return goal;
    }

    /** An instant strictly between what was written before and what is written after. */
    private static Instant pause() throws InterruptedException {
        Thread.sleep(20);
        Instant now = Instant.now();
        Thread.sleep(20);
        return now;
    }

    private static String instant(Instant instant) {
        return URLEncoder.encode(new InstantType(java.util.Date.from(instant), ca.uhn.fhir.model.api.TemporalPrecisionEnum.MILLI,
                java.util.TimeZone.getTimeZone("UTC")).getValueAsString(), StandardCharsets.UTF_8);
    }

    private static String jobId(String statusUrl) {
        return statusUrl.replaceAll(".*_jobId=", "");
    }

    /** The server's export directory, when the server runs on this machine (the IT servers do). */
    private static java.util.Optional<Path> exportDirectory() {
        String dir = System.getProperty("alongside.it.exportDir");
        return dir == null || !Files.isDirectory(Path.of(dir)) ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(dir));
    }

    private static List<String> listing(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
