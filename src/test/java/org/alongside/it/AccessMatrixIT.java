package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The access matrix: role × scope × resource type × interaction × whose record, generated from the rules in
 * docs/security.md (written out again below, independently of the server's code) and checked over HTTP.
 * Every denied cell is also checked for leaks: 403 bodies never carry the person's name, a refused write
 * stores nothing, a refused delete removes nothing, and searches leave out hidden records from results
 * and totals alike. A second set of checks looks for leaks through includes, history and Bundles. A third matrix
 * covers supervision sessions, staff records about a peer specialist that follow their own rule (docs/security.md,
 * "Supervision sessions"): role × scope × interaction × the caller's own supervision or someone else's.
 */
class AccessMatrixIT {

    enum Outcome { ALLOWED, HIDDEN, FORBIDDEN }

    enum Op { READ, SEARCH, CREATE, UPDATE, DELETE }

    enum ScopeKind { FULL, READ_ONLY, LAUNCH_PATIENT, UNRELATED }

    enum Who { PEER, SUPERVISOR, CLINICIAN, EHR, ADMIN, DIRECTOR }

    private static final String JSON = "application/fhir+json";
    private static final List<String> PATIENT_TYPES = List.of("Patient", "Encounter", "Communication", "Goal", "CarePlan");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SYSTEM = "urn:alongside:matrix:" + RUN;
    /** Whose records: the person in the callers' care (p1) and one outside it (p2). */
    private static final String P1 = "mx-p1-" + RUN;
    private static final String P2 = "mx-p2-" + RUN;
    private static final String P2_NAME = "Zyxwardine" + RUN;

    /** type → patient → id of the record used for read, search and update */
    private static final Map<String, Map<String, String>> RECORDS = new LinkedHashMap<>();

    @BeforeAll
    static void scene() {
        put("Organization", "mx-org-" + RUN, "\"name\":\"Matrix clinic\"");
        for (String person : List.of("peer", "sup", "clin", "admin", "dir")) {
            put("Practitioner", "mx-" + person + "-" + RUN, "\"name\":[{\"text\":\"" + person + "\"}]");
        }
        peerRole("mx-sup-role-" + RUN, "mx-sup-" + RUN, "");
        peerRole("mx-peer-role-" + RUN, "mx-peer-" + RUN, ",\"extension\":[{\"url\":"
                + "\"http://alongside.health/fhir/StructureDefinition/supervised-by\",\"valueReference\":"
                + "{\"reference\":\"PractitionerRole/mx-sup-role-" + RUN + "\"}}]");
        for (String patient : List.of(P1, P2)) {
            String family = patient.equals(P2) ? P2_NAME : "Inreach" + RUN;
            put("Patient", patient, "\"name\":[{\"family\":\"" + family + "\"}]");
            RECORDS.computeIfAbsent("Patient", k -> new LinkedHashMap<>()).put(patient, patient);
            for (String type : PATIENT_TYPES.subList(1, PATIENT_TYPES.size())) {
                String id = "mx-" + type.toLowerCase() + "-" + patient;
                put(type, id, body(type, patient, "PractitionerRole/mx-peer-role-" + RUN));
                RECORDS.computeIfAbsent(type, k -> new LinkedHashMap<>()).put(patient, id);
            }
        }
        RECORDS.put("Practitioner", Map.of("", "mx-admin-" + RUN));
        // the peer is assigned to p1's plan (their supervisor joins the team); the clinician is on p1's care team
        HttpResponse<String> assigned = FhirServer.send("POST", "/CarePlan/mx-careplan-" + P1 + "/$assign-peer-mentor",
                JSON, "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"peer\",\"valueReference\":"
                        + "{\"reference\":\"PractitionerRole/mx-peer-role-" + RUN + "\"}},{\"name\":\"assigner\",\"valueReference\":"
                        + "{\"reference\":\"Practitioner/mx-clin-" + RUN + "\"}}]}");
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
        put("CareTeam", "mx-treatment-" + RUN, "\"status\":\"active\",\"subject\":{\"reference\":\"Patient/" + P1
                + "\"},\"participant\":[{\"member\":{\"reference\":\"Practitioner/mx-clin-" + RUN + "\"}}]");
        // supervision: Sam (mx-sup) supervises the peer; a second supervisor supervises another peer
        put("Practitioner", "mx-sup2-" + RUN, "\"name\":[{\"text\":\"sup2\"}]");
        put("Practitioner", "mx-other-" + RUN, "\"name\":[{\"text\":\"other\"}]");
        peerRole("mx-sup2-role-" + RUN, "mx-sup2-" + RUN, "");
        peerRole("mx-other-role-" + RUN, "mx-other-" + RUN, ",\"extension\":[{\"url\":"
                + "\"http://alongside.health/fhir/StructureDefinition/supervised-by\",\"valueReference\":"
                + "{\"reference\":\"PractitionerRole/mx-sup2-role-" + RUN + "\"}}]");
        put("Encounter", SUPERVISION_OWN, supervision("mx-sup-role-" + RUN, "mx-peer-role-" + RUN));
        put("Encounter", SUPERVISION_OTHER, supervision("mx-sup2-role-" + RUN, "mx-other-role-" + RUN));
    }

    /** The supervision session of the callers' own supervisor and peer, and one between two others. */
    private static final String SUPERVISION_OWN = "mx-supervision-own-" + RUN;
    private static final String SUPERVISION_OTHER = "mx-supervision-other-" + RUN;
    private static final String SUPERVISION_TYPE = "http://alongside.health/fhir/CodeSystem/supervision|supervision-session";

    @TestFactory
    Stream<DynamicTest> supervisionMatrix() {
        List<DynamicTest> cells = new ArrayList<>();
        for (Who who : Who.values()) {
            for (ScopeKind scope : ScopeKind.values()) {
                for (Op op : Op.values()) {
                    for (boolean own : List.of(true, false)) {
                        Outcome expected = expectedSupervision(who, scope, op, own);
                        String name = who + " " + scope + " " + op + " supervision session " + (own ? "of their own"
                                : "of others") + " → " + expected;
                        cells.add(DynamicTest.dynamicTest(name, () -> checkSupervision(who, scope, op, own, expected)));
                    }
                }
            }
        }
        return cells.stream();
    }

    /** The supervision rule of docs/security.md, restated. */
    static Outcome expectedSupervision(Who who, ScopeKind scope, Op op, boolean own) {
        Set<Op> scoped = switch (scope) {
            case FULL -> EnumSet.allOf(Op.class);
            case READ_ONLY, LAUNCH_PATIENT -> EnumSet.of(Op.READ, Op.SEARCH);
            case UNRELATED -> EnumSet.noneOf(Op.class);
        };
        if (!scoped.contains(op) || who == Who.ADMIN || who == Who.DIRECTOR) {
            // administrators and program directors read no records about people, staff supervision included
            return Outcome.FORBIDDEN;
        }
        Outcome refused = op == Op.SEARCH ? Outcome.HIDDEN : Outcome.FORBIDDEN;
        if (scope == ScopeKind.LAUNCH_PATIENT) {
            return refused; // a patient launch reaches one person's records, and this is nobody's
        }
        Set<Op> role = switch (who) {
            case EHR -> EnumSet.allOf(Op.class);
            case SUPERVISOR -> EnumSet.of(Op.READ, Op.SEARCH, Op.CREATE, Op.UPDATE);
            case PEER -> EnumSet.of(Op.READ, Op.SEARCH);
            default -> EnumSet.noneOf(Op.class);
        };
        if (!role.contains(op)) {
            return refused;
        }
        return who == Who.EHR || own ? Outcome.ALLOWED : refused;
    }

    private static void checkSupervision(Who who, ScopeKind scope, Op op, boolean own, Outcome expected) {
        String auth = "Bearer " + token(who, scope);
        String id = own ? SUPERVISION_OWN : SUPERVISION_OTHER;
        switch (op) {
            case READ -> assertStatus(FhirServer.send("GET", "/Encounter/" + id, null, null, "Authorization", auth),
                    expected == Outcome.ALLOWED ? 200 : 403);
            case SEARCH -> {
                HttpResponse<String> r = FhirServer.send("GET", "/Encounter?type=" + SUPERVISION_TYPE + "&_id=" + id
                        + "&_total=accurate", null, null, "Authorization", auth);
                if (expected == Outcome.FORBIDDEN) {
                    assertStatus(r, 403);
                } else {
                    assertStatus(r, 200);
                    Bundle bundle = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, r.body());
                    int visible = expected == Outcome.ALLOWED ? 1 : 0;
                    assertThat(bundle.getEntry()).hasSize(visible);
                    assertThat(bundle.getTotal()).as("total counts only what the caller may see").isEqualTo(visible);
                }
            }
            case CREATE -> {
                String marker = UUID.randomUUID().toString();
                String body = "{\"resourceType\":\"Encounter\",\"identifier\":[{\"system\":\"" + SYSTEM
                        + "\",\"value\":\"" + marker + "\"}]," + supervision("mx-sup-role-" + RUN,
                        own ? "mx-peer-role-" + RUN : "mx-other-role-" + RUN) + "}";
                assertStatus(FhirServer.send("POST", "/Encounter", JSON, body, "Authorization", auth),
                        expected == Outcome.ALLOWED ? 201 : 403);
                assertThat(count("Encounter", "identifier=" + SYSTEM + "|" + marker))
                        .as("stored after the create").isEqualTo(expected == Outcome.ALLOWED ? 1 : 0);
            }
            case UPDATE -> {
                Resource current = (Resource) FhirServer.client().read().resource("Encounter").withId(id).execute();
                String version = current.getMeta().getVersionId();
                String marker = UUID.randomUUID().toString();
                String json = FhirServer.FHIR.newJsonParser().encodeResourceToString(current)
                        .replaceAll("\"implicitRules\":\"[^\"]*\",", "").replaceFirst("\\{\"resourceType\":\"Encounter\",",
                                "{\"resourceType\":\"Encounter\",\"implicitRules\":\"urn:uuid:" + marker + "\",");
                assertStatus(FhirServer.send("PUT", "/Encounter/" + id, JSON, json, "Authorization", auth),
                        expected == Outcome.ALLOWED ? 200 : 403);
                Resource after = (Resource) FhirServer.client().read().resource("Encounter").withId(id).execute();
                if (expected == Outcome.FORBIDDEN) {
                    assertThat(after.getMeta().getVersionId()).as("unchanged").isEqualTo(version);
                } else {
                    assertThat(after.getImplicitRules()).isEqualTo("urn:uuid:" + marker);
                }
            }
            case DELETE -> {
                String temp = "mx-del-" + UUID.randomUUID().toString().substring(0, 13);
                put("Encounter", temp, own ? supervision("mx-sup-role-" + RUN, "mx-peer-role-" + RUN)
                        : supervision("mx-sup2-role-" + RUN, "mx-other-role-" + RUN));
                assertStatus(FhirServer.send("DELETE", "/Encounter/" + temp, null, null, "Authorization", auth),
                        expected == Outcome.ALLOWED ? 200 : 403);
                assertThat(FhirServer.get("/Encounter/" + temp).statusCode())
                        .isEqualTo(expected == Outcome.ALLOWED ? 410 : 200);
            }
        }
    }

    /** Members of a supervision session (profile supervision-session) between the two roles. */
    private static String supervision(String supervisorRole, String peerRole) {
        String role = "http://alongside.health/fhir/CodeSystem/supervision-role";
        return "\"status\":\"finished\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
                + "\"code\":\"AMB\"},\"type\":[{\"coding\":[{\"system\":\"http://alongside.health/fhir/CodeSystem/"
                + "supervision\",\"code\":\"supervision-session\"}]}],\"participant\":["
                + "{\"type\":[{\"coding\":[{\"system\":\"" + role + "\",\"code\":\"supervisor\"}]}],"
                + "\"individual\":{\"reference\":\"PractitionerRole/" + supervisorRole + "\"}},"
                + "{\"type\":[{\"coding\":[{\"system\":\"" + role + "\",\"code\":\"supervisee\"}]}],"
                + "\"individual\":{\"reference\":\"PractitionerRole/" + peerRole + "\"}}],"
                + "\"period\":{\"start\":\"2026-03-05T09:00:00Z\"},\"length\":{\"value\":60,\"unit\":\"min\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"min\"},\"reasonCode\":[{\"coding\":[{\"system\":"
                + "\"http://alongside.health/fhir/CodeSystem/supervision-topic\",\"code\":\"peer-wellbeing\"}]}]";
    }

    /**
     * The program report (docs/security.md, "Program reports"): figures, no records; for program directors and EHR
     * systems whose user or system scopes read MeasureReports and Organizations.
     */
    @TestFactory
    Stream<DynamicTest> programReportMatrix() {
        List<DynamicTest> cells = new ArrayList<>();
        for (Who who : Who.values()) {
            for (ScopeKind scope : ScopeKind.values()) {
                boolean allowed = (who == Who.DIRECTOR || who == Who.EHR)
                        && (scope == ScopeKind.FULL || scope == ScopeKind.READ_ONLY);
                cells.add(DynamicTest.dynamicTest(who + " " + scope + " $program-report → "
                        + (allowed ? "ALLOWED" : "FORBIDDEN"), () -> {
                    HttpResponse<String> r = FhirServer.send("GET", "/Organization/mx-org-" + RUN
                            + "/$program-report?periodStart=2026-03&periodEnd=2026-03", null, null,
                            "Authorization", "Bearer " + token(who, scope));
                    assertStatus(r, allowed ? 200 : 403);
                    assertThat(r.body()).doesNotContain(P2_NAME).doesNotContain("Patient/");
                }));
            }
        }
        return cells.stream();
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        List<DynamicTest> cells = new ArrayList<>();
        for (Who who : Who.values()) {
            for (ScopeKind scope : ScopeKind.values()) {
                for (String type : List.of("Patient", "Encounter", "Communication", "Goal", "CarePlan", "Practitioner")) {
                    for (Op op : Op.values()) {
                        for (String patient : type.equals("Practitioner") ? List.of("") : List.of(P1, P2)) {
                            Outcome expected = expected(who, scope, type, op, patient);
                            String name = who + " " + scope + " " + op + " " + type
                                    + (patient.isEmpty() ? "" : patient.equals(P1) ? " of p1" : " of p2") + " → " + expected;
                            cells.add(DynamicTest.dynamicTest(name, () -> check(who, scope, type, op, patient, expected)));
                        }
                    }
                }
            }
        }
        return cells.stream();
    }

    /** The rules of docs/security.md, restated. */
    static Outcome expected(Who who, ScopeKind scope, String type, Op op, String patient) {
        boolean directory = type.equals("Practitioner");
        Set<Op> scoped = switch (scope) {
            case FULL -> EnumSet.allOf(Op.class);
            case READ_ONLY -> EnumSet.of(Op.READ, Op.SEARCH);
            case LAUNCH_PATIENT -> EnumSet.of(Op.READ, Op.SEARCH);
            case UNRELATED -> directory ? EnumSet.of(Op.READ, Op.SEARCH) : EnumSet.noneOf(Op.class);
        };
        if (!scoped.contains(op)) {
            return Outcome.FORBIDDEN;
        }
        Set<Op> role = switch (who) {
            case EHR -> EnumSet.allOf(Op.class);
            case ADMIN -> directory ? EnumSet.allOf(Op.class) : EnumSet.noneOf(Op.class);
            case DIRECTOR -> directory ? EnumSet.of(Op.READ, Op.SEARCH) : EnumSet.noneOf(Op.class);
            case CLINICIAN -> directory ? EnumSet.of(Op.READ, Op.SEARCH) : EnumSet.of(Op.READ, Op.SEARCH, Op.CREATE, Op.UPDATE);
            case SUPERVISOR -> EnumSet.of(Op.READ, Op.SEARCH);
            case PEER -> !directory && Set.of("Encounter", "Communication", "Goal").contains(type)
                    ? EnumSet.of(Op.READ, Op.SEARCH, Op.CREATE, Op.UPDATE) : EnumSet.of(Op.READ, Op.SEARCH);
        };
        if (!role.contains(op)) {
            return Outcome.FORBIDDEN;
        }
        if (directory) {
            return Outcome.ALLOWED;
        }
        boolean everyone = who == Who.EHR && scope != ScopeKind.LAUNCH_PATIENT;
        // a new Patient, or a fresh record made to be deleted, belongs to a person in nobody's care
        boolean newPerson = type.equals("Patient") && (op == Op.CREATE || op == Op.DELETE);
        boolean reached = everyone || (!newPerson && patient.equals(P1));
        if (!reached) {
            return op == Op.SEARCH ? Outcome.HIDDEN : Outcome.FORBIDDEN;
        }
        return Outcome.ALLOWED;
    }

    private static void check(Who who, ScopeKind scope, String type, Op op, String patient, Outcome expected) {
        String token = token(who, scope);
        String auth = "Bearer " + token;
        switch (op) {
            case READ -> {
                HttpResponse<String> r = FhirServer.send("GET", "/" + type + "/" + RECORDS.get(type).get(patient),
                        null, null, "Authorization", auth);
                assertStatus(r, expected == Outcome.ALLOWED ? 200 : 403);
            }
            case SEARCH -> {
                String id = RECORDS.get(type).get(patient);
                HttpResponse<String> r = FhirServer.send("GET", "/" + type + "?_id=" + id + "&_total=accurate",
                        null, null, "Authorization", auth);
                if (expected == Outcome.FORBIDDEN) {
                    assertStatus(r, 403);
                } else {
                    assertStatus(r, 200);
                    Bundle bundle = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, r.body());
                    int visible = expected == Outcome.ALLOWED ? 1 : 0;
                    assertThat(bundle.getEntry()).hasSize(visible);
                    assertThat(bundle.getTotal()).as("total counts only what the caller may see").isEqualTo(visible);
                }
            }
            case CREATE -> {
                String marker = UUID.randomUUID().toString();
                String body = "{\"resourceType\":\"" + type + "\",\"identifier\":[{\"system\":\"" + SYSTEM
                        + "\",\"value\":\"" + marker + "\"}]" + (type.equals("Patient") || type.equals("Practitioner")
                        ? "" : "," + body(type, patient, author(who))) + "}";
                HttpResponse<String> r = FhirServer.send("POST", "/" + type, JSON, body, "Authorization", auth);
                assertStatus(r, expected == Outcome.ALLOWED ? 201 : 403);
                assertThat(count(type, "identifier=" + SYSTEM + "|" + marker))
                        .as("stored after the create").isEqualTo(expected == Outcome.ALLOWED ? 1 : 0);
            }
            case UPDATE -> {
                String id = RECORDS.get(type).get(patient);
                Resource current = (Resource) FhirServer.client().read().resource(type).withId(id).execute();
                String version = current.getMeta().getVersionId();
                String marker = UUID.randomUUID().toString();
                // a real change of content (the store skips updates that change only meta)
                String json = FhirServer.FHIR.newJsonParser().encodeResourceToString(current)
                        .replaceAll("\"implicitRules\":\"[^\"]*\",", "").replaceFirst(
                        "\\{\"resourceType\":\"" + type + "\",", "{\"resourceType\":\"" + type
                                + "\",\"implicitRules\":\"urn:uuid:" + marker + "\",");
                HttpResponse<String> r = FhirServer.send("PUT", "/" + type + "/" + id, JSON, json, "Authorization", auth);
                assertStatus(r, expected == Outcome.ALLOWED ? 200 : 403);
                Resource after = (Resource) FhirServer.client().read().resource(type).withId(id).execute();
                if (expected == Outcome.FORBIDDEN) {
                    assertThat(after.getMeta().getVersionId()).as("unchanged").isEqualTo(version);
                } else {
                    assertThat(after.getImplicitRules()).isEqualTo("urn:uuid:" + marker);
                }
            }
            case DELETE -> {
                String id = "mx-del-" + UUID.randomUUID().toString().substring(0, 13);
                put(type, id, type.equals("Practitioner") ? "\"name\":[{\"text\":\"temp\"}]"
                        : type.equals("Patient") ? "\"name\":[{\"family\":\"Temp\"}]" : body(type, patient,
                        "PractitionerRole/mx-peer-role-" + RUN));
                HttpResponse<String> r = FhirServer.send("DELETE", "/" + type + "/" + id, null, null, "Authorization", auth);
                assertStatus(r, expected == Outcome.ALLOWED ? 200 : 403);
                HttpResponse<String> after = FhirServer.get("/" + type + "/" + id);
                assertThat(after.statusCode()).isEqualTo(expected == Outcome.ALLOWED ? 410 : 200);
            }
        }
    }

    @Test
    void aPeerSeesNothingOfOthersThroughIncludesHistoryOrBundles() {
        String auth = "Bearer " + token(Who.PEER, ScopeKind.FULL);
        List<HttpResponse<String>> answers = List.of(
                FhirServer.send("GET", "/Patient?_id=" + P1 + "," + P2 + "&_revinclude=Encounter:patient", null, null,
                        "Authorization", auth),
                FhirServer.send("GET", "/Encounter?_id=mx-encounter-" + P1 + ",mx-encounter-" + P2
                        + "&_include=Encounter:patient", null, null, "Authorization", auth),
                FhirServer.send("GET", "/Encounter/_history?_count=1000", null, null, "Authorization", auth),
                FhirServer.send("GET", "/_history?_count=1000", null, null, "Authorization", auth),
                FhirServer.send("GET", "/Goal?patient=" + P2 + "&_total=accurate", null, null, "Authorization", auth),
                FhirServer.send("GET", "/Goal?patient=" + P2 + "&_summary=count", null, null, "Authorization", auth),
                FhirServer.send("POST", "", JSON, "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                        + "{\"request\":{\"method\":\"GET\",\"url\":\"Encounter?_id=mx-encounter-" + P2 + "\"}},"
                        + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + P2 + "\"}}]}", "Authorization", auth));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            // the request's own URL echoed in a self link (also a Bundle GET entry's) is not a leak: look at the entries only
            String entries = answer.body().replaceAll("\"link\":\\[[^\\]]*\\],?", "");
            assertThat(entries).doesNotContain(P2_NAME).doesNotContain("mx-encounter-" + P2)
                    .doesNotContain("\"Patient/" + P2 + "\"");
        }
        assertThat(answers.get(4).body()).contains("\"total\":0");
        assertThat(answers.get(5).body()).contains("\"total\":0");
        // what the peer may see is still there
        assertThat(answers.get(0).body()).contains("mx-encounter-" + P1);
        assertThat(answers.get(1).body()).contains("Inreach" + RUN);
    }

    @Test
    void aTransactionTouchingSomeoneElsesRecordIsRefusedWhole() {
        String auth = "Bearer " + token(Who.CLINICIAN, ScopeKind.FULL);
        String marker = UUID.randomUUID().toString();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"request\":{\"method\":\"POST\",\"url\":\"Goal\"},\"resource\":{\"resourceType\":\"Goal\","
                + "\"identifier\":[{\"system\":\"" + SYSTEM + "\",\"value\":\"" + marker + "\"}]," + body("Goal", P1, null) + "}},"
                + "{\"request\":{\"method\":\"POST\",\"url\":\"Goal\"},\"resource\":{\"resourceType\":\"Goal\","
                + "\"identifier\":[{\"system\":\"" + SYSTEM + "\",\"value\":\"" + marker + "\"}]," + body("Goal", P2, null) + "}}]}";
        HttpResponse<String> r = FhirServer.send("POST", "", JSON, bundle, "Authorization", auth);
        assertStatus(r, 403);
        assertThat(count("Goal", "identifier=" + SYSTEM + "|" + marker)).isZero();
    }

    @Test
    void aPeerCannotEditAnotherPeersLog() {
        String otherLog = "mx-encounter-other-" + RUN;
        put("Encounter", otherLog, body("Encounter", P1, "PractitionerRole/mx-sup-role-" + RUN));
        String auth = "Bearer " + token(Who.PEER, ScopeKind.FULL);
        Resource current = (Resource) FhirServer.client().read().resource("Encounter").withId(otherLog).execute();
        String json = FhirServer.FHIR.newJsonParser().encodeResourceToString(current).replace(
                "PractitionerRole/mx-sup-role-" + RUN, "PractitionerRole/mx-peer-role-" + RUN);
        assertStatus(FhirServer.send("PUT", "/Encounter/" + otherLog, JSON, json, "Authorization", auth), 403);
        // but reading it is fine: it is about a person in their care
        assertStatus(FhirServer.send("GET", "/Encounter/" + otherLog, null, null, "Authorization", auth), 200);
    }

    private static String token(Who who, ScopeKind scope) {
        String context = who == Who.EHR ? "system" : "user";
        String scopes = switch (scope) {
            case FULL -> context + "/*.cruds";
            case READ_ONLY -> context + "/*.rs";
            case LAUNCH_PATIENT -> "launch/patient patient/*.rs";
            case UNRELATED -> context + "/Practitioner.rs";
        };
        String role = switch (who) {
            case PEER -> "peer-specialist";
            case SUPERVISOR -> "supervisor";
            case CLINICIAN -> "clinician";
            case EHR -> "ehr-system";
            case ADMIN -> "admin";
            case DIRECTOR -> "program-director";
        };
        String fhirUser = switch (who) {
            case PEER -> "Practitioner/mx-peer-" + RUN;
            case SUPERVISOR -> "Practitioner/mx-sup-" + RUN;
            case CLINICIAN -> "Practitioner/mx-clin-" + RUN;
            case ADMIN -> "Practitioner/mx-admin-" + RUN;
            case DIRECTOR -> "Practitioner/mx-dir-" + RUN;
            case EHR -> null;
        };
        return FhirServer.token(role, fhirUser, scopes, scope == ScopeKind.LAUNCH_PATIENT ? P1 : null);
    }

    /** The caller's own reference, which authors what they create. */
    private static String author(Who who) {
        return switch (who) {
            case PEER -> "PractitionerRole/mx-peer-role-" + RUN;
            case SUPERVISOR -> "PractitionerRole/mx-sup-role-" + RUN;
            case CLINICIAN -> "Practitioner/mx-clin-" + RUN;
            default -> "Practitioner/mx-admin-" + RUN;
        };
    }

    /** Members of a record of the type about the patient, authored by the given reference. */
    private static String body(String type, String patient, String author) {
        String subject = "\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
        return switch (type) {
            case "Encounter" -> "\"status\":\"finished\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/"
                    + "v3-ActCode\",\"code\":\"AMB\"}," + subject + (author == null ? "" : ",\"participant\":[{\"individual\":"
                    + "{\"reference\":\"" + author + "\"}}]");
            case "Communication" -> "\"status\":\"completed\"," + subject + (author == null ? "" : ",\"sender\":"
                    + "{\"reference\":\"" + author + "\"}") + ",\"payload\":[{\"contentString\":\"Thinking of you\"}]";
            case "Goal" -> "\"lifecycleStatus\":\"active\",\"description\":{\"text\":\"Walk daily\"}," + subject;
            case "CarePlan" -> "\"status\":\"active\",\"intent\":\"plan\"," + subject;
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static void put(String type, String id, String members) {
        HttpResponse<String> r = FhirServer.send("PUT", "/" + type + "/" + id, JSON,
                "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"," + members + "}");
        assertThat(r.statusCode()).as(type + " " + r.body()).isIn(200, 201);
    }

    private static void peerRole(String id, String practitioner, String extension) {
        put("PractitionerRole", id, "\"active\":true,\"practitioner\":{\"reference\":\"Practitioner/" + practitioner
                + "\"},\"organization\":{\"reference\":\"Organization/mx-org-" + RUN + "\"},\"code\":[{\"coding\":"
                + "[{\"system\":\"http://nucc.org/provider-taxonomy\",\"code\":\"175T00000X\"}]}]" + extension);
    }

    private static int count(String type, String query) {
        HttpResponse<String> r = FhirServer.get("/" + type + "?" + query + "&_summary=count");
        return FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, r.body()).getTotal();
    }

    private static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(status);
        if (status == 403) {
            assertThat(response.body()).contains("OperationOutcome").doesNotContain(P2_NAME);
        }
    }
}
