package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.junit.jupiter.api.Test;

/**
 * The CapabilityStatement is a promise: for every resource type it lists, each declared interaction is
 * exercised here over HTTP, in the order a client would use them, and must work (PATCH in each declared patch format). (Every declared search
 * parameter is exercised by {@link OperationsIT}, the operations by the mentorship and conformance tests; the
 * terminology and export operations here too.)
 */
class CapabilityWalkIT {

    private final IGenericClient client = FhirServer.client();

    @Test
    void everyDeclaredInteractionOfEveryWritableTypeWorks() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        List<String> patchFormats = capability.getPatchFormat().stream().map(f -> f.getValue()).toList();
        assertThat(patchFormats).isNotEmpty();
        int walked = 0;
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            Set<TypeRestfulInteraction> declared = resource.getInteraction().stream()
                    .map(CapabilityStatement.ResourceInteractionComponent::getCode)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(TypeRestfulInteraction.class)));
            if (!declared.contains(TypeRestfulInteraction.CREATE)) {
                // read-only types (conformance resources, HAPI's OperationDefinitions): only reads, writes refused
                assertThat(declared).as(resource.getType()).isNotEmpty()
                        .isSubsetOf(TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
                if (declared.contains(TypeRestfulInteraction.SEARCHTYPE)) {
                    assertThat(FhirServer.get("/" + resource.getType()).statusCode()).isEqualTo(200);
                }
                assertThat(FhirServer.send("POST", "/" + resource.getType(), "application/fhir+json",
                        "{\"resourceType\":\"" + resource.getType() + "\"}").statusCode()).isBetween(400, 499);
                continue;
            }
            walk(resource.getType(), declared, patchFormats);
            walked++;
        }
        assertThat(walked).isEqualTo(18);
        assertThat(capability.getRestFirstRep().getInteraction())
                .extracting(i -> i.getCode().toCode()).contains("transaction", "batch", "history-system");
        assertThat(FhirServer.get("/_history?_count=1").statusCode()).isEqualTo(200);
    }

    /**
     * The terminology operations: ValueSet and CodeSystem list exactly R4's four, pointing at the base
     * OperationDefinitions, and each is called as declared (type level, and on an instance where R4 defines it).
     */
    @Test
    void everyDeclaredTerminologyOperationAnswers() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        java.util.Map<String, String> declared = new java.util.TreeMap<>();
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            if (resource.getType().equals("ValueSet") || resource.getType().equals("CodeSystem")) {
                resource.getOperation().forEach(o -> declared.put(resource.getType() + "/$" + o.getName(),
                        o.getDefinition()));
            }
        }
        assertThat(declared).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "ValueSet/$expand", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand",
                "ValueSet/$validate-code", "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code",
                "CodeSystem/$lookup", "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup",
                "CodeSystem/$validate-code", "http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code"));
        String modality = "http://alongside.health/fhir/CodeSystem/session-modality";
        java.util.Map<String, List<String>> calls = java.util.Map.of(
                "ValueSet/$expand", List.of("/ValueSet/$expand?url=http://alongside.health/fhir/ValueSet/session-modality",
                        "/ValueSet/session-modality/$expand"),
                "ValueSet/$validate-code", List.of("/ValueSet/$validate-code?url=http://alongside.health/fhir/ValueSet/"
                        + "session-modality&system=" + modality + "&code=phone",
                        "/ValueSet/session-modality/$validate-code?system=" + modality + "&code=phone"),
                "CodeSystem/$lookup", List.of("/CodeSystem/$lookup?system=" + modality + "&code=phone"),
                "CodeSystem/$validate-code", List.of("/CodeSystem/$validate-code?url=" + modality + "&code=phone",
                        "/CodeSystem/session-modality/$validate-code?code=phone"));
        java.util.Map<String, String> answers = java.util.Map.of("ValueSet/$expand", "\"code\":\"phone\"",
                "ValueSet/$validate-code", "\"name\":\"result\",\"valueBoolean\":true",
                "CodeSystem/$lookup", "\"name\":\"display\",\"valueString\":\"Phone\"",
                "CodeSystem/$validate-code", "\"name\":\"result\",\"valueBoolean\":true");
        for (String operation : declared.keySet()) {
            for (String call : calls.get(operation)) {
                HttpResponse<String> answer = FhirServer.get(call);
                assertThat(answer.statusCode()).as(call + " " + answer.body()).isEqualTo(200);
                assertThat(answer.body()).as(call).contains(answers.get(operation));
            }
        }
    }

    /**
     * The billing export (docs/ehr-integration.md): declared on Organization, called there at the type level for
     * one day, it answers a Bundle of ChargeItems, and CSV when asked for it.
     */
    @Test
    void theDeclaredBillingExportAnswersInBothForms() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        List<String> declaredOn = capability.getRestFirstRep().getResource().stream()
                .filter(r -> r.getOperation().stream().anyMatch(o -> o.getName().equals("billing-export")))
                .map(CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(declaredOn).containsExactly("Organization");
        String call = "/Organization/$billing-export?start=2020-01-01&end=2020-01-01";
        HttpResponse<String> bundle = FhirServer.get(call);
        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
        assertThat(bundle.body()).contains("\"resourceType\":\"Bundle\"", "\"type\":\"collection\"");
        HttpResponse<String> csv = FhirServer.get(call + "&_format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.body()).startsWith("status,exclusion_reason,service_date,");
    }

    /**
     * The program report (docs/ehr-integration.md): declared on Organization, called there at the type level for one
     * month, it answers a Bundle of MeasureReports against the published Measure.
     */
    @Test
    void theDeclaredProgramReportAnswersWithMeasureReports() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        List<String> declaredOn = capability.getRestFirstRep().getResource().stream()
                .filter(r -> r.getOperation().stream().anyMatch(o -> o.getName().equals("program-report")))
                .map(CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(declaredOn).containsExactly("Organization");
        HttpResponse<String> bundle = FhirServer.get("/Organization/$program-report?periodStart=2020-01&periodEnd=2020-01");
        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
        assertThat(bundle.body()).contains("\"resourceType\":\"Bundle\"", "\"type\":\"collection\"");
        assertThat(FhirServer.get("/Measure/program-report").statusCode()).isEqualTo(200);
    }

    /**
     * Bulk Data: the statement instantiates the IG's, and each declared $export (system and Patient) is kicked off,
     * polled to completion, and its files fetched. Narrowed with _since to what this test writes, so it stays quick
     * on a database the other tests have filled.
     */
    @Test
    void everyDeclaredExportOperationRunsToCompletion() throws Exception {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capability.getInstantiates()).extracting(c -> c.getValue())
                .contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
        List<String> kickOffs = new ArrayList<>();
        for (var operation : capability.getRestFirstRep().getOperation()) {
            if (operation.getName().equals("export")) {
                assertThat(operation.getDefinition()).isEqualTo("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
                kickOffs.add("/$export");
            }
        }
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            for (var operation : resource.getOperation()) {
                if (operation.getName().equals("export")) {
                    assertThat(resource.getType()).isEqualTo("Patient");
                    assertThat(operation.getDefinition())
                            .isEqualTo("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export");
                    kickOffs.add("/Patient/$export");
                }
            }
        }
        assertThat(kickOffs).containsExactlyInAnyOrder("/$export", "/Patient/$export");
        assertThat(capability.getRestFirstRep().getOperation()).extracting(o -> o.getName())
                .doesNotContain("export-poll-status", "export-file");

        String since = new org.hl7.fhir.r4.model.InstantType(new java.util.Date()).getValueAsString();
        Thread.sleep(20);
        String mrn = FhirServer.uniqueSystem();
        HttpResponse<String> created = FhirServer.send("POST", "/Patient", "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + mrn + "\",\"value\":\"walk\"}]}");
        assertThat(created.statusCode()).isEqualTo(201);
        for (String kickOff : kickOffs) {
            HttpResponse<String> accepted = FhirServer.get(kickOff + "?_type=Patient&_since="
                    + java.net.URLEncoder.encode(since, java.nio.charset.StandardCharsets.UTF_8), "Prefer", "respond-async");
            assertThat(accepted.statusCode()).as(kickOff).isEqualTo(202);
            String status = accepted.headers().firstValue("Content-Location").orElseThrow();
            HttpResponse<String> poll = FhirServer.get(status);
            long deadline = System.currentTimeMillis() + 120_000;
            while (poll.statusCode() == 202 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                poll = FhirServer.get(status);
            }
            assertThat(poll.statusCode()).as(kickOff + " " + poll.body()).isEqualTo(200);
            var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(poll.body());
            StringBuilder files = new StringBuilder();
            for (var output : manifest.get("output")) {
                HttpResponse<String> file = FhirServer.get(output.get("url").asText());
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+ndjson");
                files.append(file.body());
            }
            assertThat(files.toString()).as(kickOff).contains(mrn);
            assertThat(FhirServer.send("DELETE", status, null, null).statusCode()).isEqualTo(202);
        }
    }

    /**
     * Subscriptions Backport IG: the statement instantiates the IG's R4 server statement; Subscription lists the
     * backport profile, the topics by canonical URL and $status and $events with the IG's OperationDefinitions. Each
     * topic is subscribed to with the profile (accepted; the Subscription is off, so it never notifies anyone) and both
     * operations answer on it as declared.
     */
    @Test
    void everyDeclaredTopicAndSubscriptionOperationWorks() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        String backport = "http://hl7.org/fhir/uv/subscriptions-backport/";
        assertThat(capability.getInstantiates()).extracting(c -> c.getValue())
                .contains(backport + "CapabilityStatement/backport-subscription-server-r4");
        CapabilityStatementRestResourceComponent subscription = capability.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Subscription")).findFirst().orElseThrow();
        assertThat(subscription.getSupportedProfile()).extracting(c -> c.getValue())
                .contains(backport + "StructureDefinition/backport-subscription");
        List<String> topics = subscription.getExtensionsByUrl(backport
                + "StructureDefinition/capabilitystatement-subscriptiontopic-canonical").stream()
                .map(e -> e.getValue().primitiveValue()).toList();
        assertThat(topics).hasSize(6).allMatch(t -> t.startsWith("http://alongside.health/fhir/SubscriptionTopic/"));
        assertThat(subscription.getOperation()).extracting(o -> o.getName() + " " + o.getDefinition())
                .contains(
                        "status " + backport + "OperationDefinition/backport-subscription-status",
                        "events " + backport + "OperationDefinition/backport-subscription-events");
        for (String topic : topics) {
            HttpResponse<String> created = FhirServer.send("POST", "/Subscription", "application/fhir+json",
                    "{\"resourceType\":\"Subscription\",\"meta\":{\"profile\":[\"" + backport
                            + "StructureDefinition/backport-subscription\"]},\"status\":\"off\",\"reason\":\"walk\","
                            + "\"criteria\":\"" + topic + "\",\"channel\":{\"type\":\"rest-hook\","
                            + "\"endpoint\":\"http://127.0.0.1:9/walk\",\"payload\":\"application/fhir+json\"}}");
            assertThat(created.statusCode()).as(topic + " " + created.body()).isEqualTo(201);
            String id = created.headers().firstValue("Location").orElseThrow()
                    .replaceAll(".*/Subscription/([^/]+)/_history/.*", "$1");
            HttpResponse<String> status = FhirServer.get("/Subscription/" + id + "/$status");
            assertThat(status.statusCode()).as("$status").isEqualTo(200);
            assertThat(status.body()).contains("query-status", topic);
            HttpResponse<String> events = FhirServer.send("POST", "/Subscription/" + id + "/$events",
                    "application/fhir+json", "{\"resourceType\":\"Parameters\",\"parameter\":["
                            + "{\"name\":\"eventsSinceNumber\",\"valueString\":\"1\"}]}");
            assertThat(events.statusCode()).as("$events " + events.body()).isEqualTo(200);
            assertThat(events.body()).contains("query-event", "\"history\"");
            assertThat(FhirServer.send("DELETE", "/Subscription/" + id, null, null).statusCode()).isIn(200, 204);
        }
    }

    /**
     * The smallest body each type accepts, with {@code extra} elements. Subscriptions must be usable (R4 requires
     * status, reason, criteria and channel); this one is off, so it never notifies anyone.
     */
    private static String body(String type, String extra) {
        String required = switch (type) {
            case "Subscription" -> ",\"status\":\"off\",\"reason\":\"walk\","
                    + "\"criteria\":\"Patient?_id=walk\",\"channel\":{\"type\":\"rest-hook\","
                    + "\"endpoint\":\"http://127.0.0.1:9/walk\"}";
            case "Observation" -> ",\"status\":\"final\",\"code\":{\"text\":\"walk\"}";
            case "QuestionnaireResponse" -> ",\"status\":\"completed\"";
            default -> "";
        };
        return "{\"resourceType\":\"" + type + "\"" + extra + required + "}";
    }

    /** A patch that adds a tag, in the given patch format (a format this test does not know fails the walk). */
    private static String patchAddingTag(String type, String format, String tag) {
        return switch (format) {
            case "application/json-patch+json" -> "[{\"op\":\"add\",\"path\":\"/meta/tag/-\",\"value\":{\"code\":\""
                    + tag + "\"}}]";
            case "application/fhir+json" -> "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\","
                    + "\"part\":[{\"name\":\"type\",\"valueCode\":\"add\"},{\"name\":\"path\",\"valueString\":\"" + type
                    + ".meta\"},{\"name\":\"name\",\"valueString\":\"tag\"},{\"name\":\"value\",\"valueCoding\":"
                    + "{\"code\":\"" + tag + "\"}}]}]}";
            case "application/fhir+xml" -> "<Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"operation\"/>"
                    + "<part><name value=\"type\"/><valueCode value=\"add\"/></part>"
                    + "<part><name value=\"path\"/><valueString value=\"" + type + ".meta\"/></part>"
                    + "<part><name value=\"name\"/><valueString value=\"tag\"/></part>"
                    + "<part><name value=\"value\"/><valueCoding><code value=\"" + tag + "\"/></valueCoding></part>"
                    + "</parameter></Parameters>";
            default -> throw new AssertionError("the CapabilityStatement declares a patch format this walk cannot send: "
                    + format);
        };
    }

    private void walk(String type, Set<TypeRestfulInteraction> declared, List<String> patchFormats) {
        String body = body(type, "");
        assertThat(declared).as(type).contains(TypeRestfulInteraction.CREATE, TypeRestfulInteraction.READ,
                TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE,
                TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.HISTORYTYPE,
                TypeRestfulInteraction.SEARCHTYPE, TypeRestfulInteraction.PATCH);

        HttpResponse<String> created = FhirServer.send("POST", "/" + type, "application/fhir+json", body);
        assertThat(created.statusCode()).as(type + " create").isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.replaceAll(".*/" + type + "/([^/]+)/_history/.*", "$1");

        assertThat(FhirServer.get("/" + type + "/" + id).statusCode()).as(type + " read").isEqualTo(200);
        assertThat(FhirServer.get("/" + type + "/" + id + "/_history/1").statusCode()).as(type + " vread").isEqualTo(200);
        HttpResponse<String> updated = FhirServer.send("PUT", "/" + type + "/" + id, "application/fhir+json",
                body(type, ",\"id\":\"" + id + "\",\"meta\":{\"tag\":[{\"code\":\"walked\"}]}"));
        assertThat(updated.statusCode()).as(type + " update").isEqualTo(200);
        // patch, in every format the statement lists: one new version each
        int version = 2;
        for (String format : patchFormats) {
            String tag = "patched-" + format.replaceAll("\\W", "-");
            HttpResponse<String> patched = FhirServer.send("PATCH", "/" + type + "/" + id, format, patchAddingTag(type,
                    format, tag));
            assertThat(patched.statusCode()).as(type + " patch (" + format + ") " + patched.body()).isEqualTo(200);
            assertThat(FhirServer.get("/" + type + "/" + id).body()).as(type + " patched (" + format + ")")
                    .contains(tag, "\"versionId\":\"" + ++version + "\"");
        }
        assertThat(FhirServer.get("/" + type + "/" + id + "/_history").body()).as(type + " history-instance")
                .contains("\"type\":\"history\"", "W/\\\"2\\\"", "W/\\\"1\\\"");
        assertThat(FhirServer.get("/" + type + "/_history?_count=1").statusCode()).as(type + " history-type")
                .isEqualTo(200);
        assertThat(FhirServer.get("/" + type + "?_id=" + id).body()).as(type + " search-type").contains(id);
        assertThat(FhirServer.send("DELETE", "/" + type + "/" + id, null, null).statusCode()).as(type + " delete")
                .isIn(200, 204);
        assertThat(FhirServer.get("/" + type + "/" + id).statusCode()).as(type + " gone").isEqualTo(410);
    }
}
