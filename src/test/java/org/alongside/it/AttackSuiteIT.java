package org.alongside.it;

import static org.alongside.it.AttackSupport.bundle;
import static org.alongside.it.AttackSupport.entries;
import static org.alongside.it.AttackSupport.entry;
import static org.alongside.it.AttackSupport.requestBundle;
import static org.alongside.it.AttackSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The attack suite of issue 11: every path a record, a count or an existence signal can take out of (or a write
 * into) the server — REST read, vread, search, {@code _include}/{@code _revinclude}, chains, {@code _has},
 * {@code _summary=count}, history (instance, type, system), batch and transaction GET/POST/PUT/DELETE,
 * conditional create/update/delete (REST and in Bundles), PATCH (REST, conditional, transaction entry: a patch needs
 * both the update and the read, Part 2 consent included), conditional references, the operations (terminology
 * included) and the audit trail, consents naming the outside client — × role (peer, supervisor, clinician, EHR inside the Part 2
 * program, EHR outside it, admin, and a peer whose role was deactivated) × scope (full, read-only, launch
 * patient, an unrelated type, one type: CarePlan.rs) × whose record (in / out of the caller's care) × consent
 * state (none / an active Part 2 consent for the outside recipient). Consent state matters to reads by the
 * outside client; write cases work on the write patients, who have no consent (until the Consent cases of phase 2
 * record some: the PATCH cases, which read before they write, run before them, in phase 1).
 *
 * <p>The expected answer of every case comes from the rules of docs/security.md, restated below
 * ({@link #canRead}, {@link #canWrite}) independently of the server's code, as {@link AccessMatrixIT} does.
 * Each case is judged PASS, CROSSING (a record, a count or an existence signal the caller may not have, or a
 * write they may not make, crossed the line) or WRONG (an allowed answer refused, or an error). The suite runs
 * its cases on a thread pool after building its scene once; it prints a summary per path at the end (and
 * writes it to target/attack-suite-DATABASE.txt).
 *
 * <p>Scene: read patients P1 (in care, no consent), P1C (in care, consent), P2 (not in care, no consent), P2C
 * (not in care, consent), whose records are never written after the scene is made; write patients W1 (in care)
 * and W2 (not), on whose records every write case works, each on a target of its own where a write could move or
 * remove it. Consent is for the outside client only; everyone else is inside the program.
 */
class AttackSuiteIT {

    /** Roles; PEER_DEACTIVATED is a peer whose only PractitionerRole was set active=false after their assignments. */
    enum Who { PEER, SUPERVISOR, CLINICIAN, EHR_IN, EHR_OUT, ADMIN, PEER_DEACTIVATED }

    /** Scopes: *.cruds, *.rs, launch patient (patient/*.rs), an unrelated type (Practitioner.rs), one type (CarePlan.rs). */
    enum Scope { FULL, READ_ONLY, LAUNCH_PATIENT, UNRELATED, CAREPLAN_ONLY }

    enum Op { READ, SEARCH, CREATE, UPDATE, DELETE }

    enum Match { NONE, ONE_W1, ONE_W2, TWO_W2 }

    /** One record of the read scene. */
    record Rec(String type, String id, String patient, boolean part2, String kind) {
        String ref() {
            return type + "/" + id;
        }
    }

    /** A case's judgement. */
    record Verdict(String kind, String message) {
        static final Verdict PASS = new Verdict("PASS", null);

        boolean passed() {
            return kind.equals("PASS");
        }
    }

    private record Case(int phase, String path, String name, Supplier<Verdict> check) {
    }

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SYS = "urn:alongside:attack:" + RUN;
    private static final String MARK = "urn:alongside:attack-mark:" + RUN;
    private static final String KEY = "urn:alongside:attack-key:" + RUN;
    private static final String OUTSIDE = "outside-attack-" + RUN;
    private static final String SESSION_KEY = "http://alongside.health/fhir/session-key";

    private static final String ORG = "as-org-" + RUN;
    private static final String PEER = "as-peer-" + RUN;
    private static final String SUP = "as-sup-" + RUN;
    private static final String CLIN = "as-clin-" + RUN;
    private static final String ADMIN = "as-admin-" + RUN;
    private static final String GHOST = "as-ghost-" + RUN;
    private static final String ASSIGNEE = "as-assignee-" + RUN;
    private static final String PEER_ROLE = "as-peer-role-" + RUN;
    private static final String PEER_OFF = "as-peer-off-" + RUN;
    private static final String PEER_OFF_ROLE = "as-peer-off-role-" + RUN;
    private static final String SUP_ROLE = "as-sup-role-" + RUN;
    private static final String GHOST_ROLE = "as-ghost-role-" + RUN;
    private static final String ASSIGNEE_ROLE = "as-assignee-role-" + RUN;

    static final String P1 = "as-p1-" + RUN;
    static final String P1C = "as-p1c-" + RUN;
    static final String P2 = "as-p2-" + RUN;
    static final String P2C = "as-p2c-" + RUN;
    static final String W1 = "as-w1-" + RUN;
    static final String W2 = "as-w2-" + RUN;
    private static final List<String> READ_PATIENTS = List.of(P1, P1C, P2, P2C);
    private static final List<String> WRITE_PATIENTS = List.of(W1, W2);
    /** In the care (active care team) of the peer, their supervisor and the clinician. */
    private static final Set<String> IN_CARE = Set.of(P1, P1C, W1);
    private static final Set<String> CONSENTED = Set.of(P1C, P2C);
    private static final Map<String, String> FAMILY = Map.of(P1, "Alpha" + RUN, P1C, "Bravo" + RUN, P2, "Charl" + RUN,
            P2C, "Delta" + RUN, W1, "Echoo" + RUN, W2, "Foxtr" + RUN);
    private static final List<String> SEARCH_TYPES = List.of("Patient", "Encounter", "Communication", "Goal", "CarePlan");
    private static final List<String> WRITE_TYPES = List.of("Patient", "Encounter", "Communication", "Goal", "CarePlan");
    private static final List<String> RECORD_TYPES = List.of("Encounter", "Communication", "Goal", "CarePlan");

    /** The read scene: every record of the read patients. */
    private static final List<Rec> RECORDS = new ArrayList<>();
    private static final Map<String, Rec> BY_REF = new HashMap<>();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static Instant readSceneStart;

    /** Write targets, made in the scene: (name) → id. */
    private static final Map<String, String> TARGETS = new ConcurrentHashMap<>();
    private static final List<String[]> TARGET_ENTRIES = new ArrayList<>();

    private static final Map<String, int[]> SUMMARY = new TreeMap<>(); // path → pass, crossing, wrong
    private static final List<String> CROSSINGS = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> WRONGS = Collections.synchronizedList(new ArrayList<>());

    // ================================================================== the rules of docs/security.md, restated

    static boolean everyone(Who who, Scope scope) {
        return (who == Who.EHR_IN || who == Who.EHR_OUT) && scope != Scope.LAUNCH_PATIENT;
    }

    static boolean scopeAllows(Scope scope, String type, Op op) {
        return switch (scope) {
            case FULL -> true;
            case READ_ONLY, LAUNCH_PATIENT -> op == Op.READ || op == Op.SEARCH;
            case UNRELATED -> false; // Practitioner.rs: nothing about people
            case CAREPLAN_ONLY -> type.equals("CarePlan") && (op == Op.READ || op == Op.SEARCH);
        };
    }

    static boolean roleAllows(Who who, String type, Op op) {
        return switch (who) {
            case EHR_IN, EHR_OUT -> true;
            case ADMIN -> false; // minimum necessary: no clinical records
            case CLINICIAN -> op != Op.DELETE;
            case SUPERVISOR -> op == Op.READ || op == Op.SEARCH;
            case PEER, PEER_DEACTIVATED -> op == Op.READ || op == Op.SEARCH || ((op == Op.CREATE || op == Op.UPDATE)
                    && Set.of("Encounter", "Procedure", "Communication", "Goal", "Task", "Flag").contains(type));
        };
    }

    /** Whose records: EHR systems everyone's (launch scope: the launch patient), the others those in their care. */
    static boolean reaches(Who who, Scope scope, String patient) {
        if (who == Who.EHR_IN || who == Who.EHR_OUT) {
            return scope != Scope.LAUNCH_PATIENT || patient.equals(P1);
        }
        if (who == Who.ADMIN || who == Who.PEER_DEACTIVATED) {
            return false; // a deactivated role stands for nobody: it reaches no one
        }
        return IN_CARE.contains(patient) && (scope != Scope.LAUNCH_PATIENT || patient.equals(P1));
    }

    /** Part 2: a labelled record leaves the program (to the outside client) only under the person's consent. */
    static boolean discloses(Who who, String patient, boolean part2) {
        return who != Who.EHR_OUT || !part2 || CONSENTED.contains(patient);
    }

    static boolean canSearch(Who who, Scope scope, String type) {
        return scopeAllows(scope, type, Op.SEARCH) && roleAllows(who, type, Op.SEARCH);
    }

    static boolean canRead(Who who, Scope scope, String type, String patient, boolean part2) {
        return scopeAllows(scope, type, Op.READ) && roleAllows(who, type, Op.READ) && reaches(who, scope, patient)
                && discloses(who, patient, part2);
    }

    static boolean canRead(Who who, Scope scope, Rec rec) {
        return canRead(who, scope, rec.type(), rec.patient(), rec.part2());
    }

    /** A write of a record of the type about the patient (a new Patient, or a Patient to delete, is nobody's). */
    static boolean canWrite(Who who, Scope scope, String type, Op op, String patient) {
        if (!scopeAllows(scope, type, op) || !roleAllows(who, type, op)) {
            return false;
        }
        boolean newPerson = type.equals("Patient") && (op == Op.CREATE || op == Op.DELETE);
        return newPerson ? everyone(who, scope) : reaches(who, scope, patient);
    }

    /** The audit trail: administrators and EHR systems inside the program, with user or system grants. */
    static boolean canSearchAudit(Who who, Scope scope, String patient) {
        // the trail names everyone: user or system grants only, and (Part 2 mode) never outside the program
        boolean role = who == Who.ADMIN || who == Who.EHR_IN;
        return role && (scope == Scope.FULL || scope == Scope.READ_ONLY);
    }

    /** Bulk export: EHR systems inside the program with a system read scope. */
    static boolean canExport(Who who, Scope scope) {
        return who == Who.EHR_IN && (scope == Scope.FULL || scope == Scope.READ_ONLY);
    }

    // ================================================================== the scene

    @BeforeAll
    static void scene() throws Exception {
        long started = System.nanoTime();
        AttackSupport.put("Organization", ORG, AttackSupport.organization("Attack clinic " + RUN));
        for (String person : List.of(PEER, SUP, CLIN, ADMIN, GHOST, ASSIGNEE, PEER_OFF)) {
            AttackSupport.put("Practitioner", person, "\"name\":[{\"text\":\"" + person + "\"}]");
        }
        AttackSupport.put("PractitionerRole", SUP_ROLE, AttackSupport.peerRole(SUP, ORG, null, true));
        AttackSupport.put("PractitionerRole", PEER_ROLE, AttackSupport.peerRole(PEER, ORG, SUP_ROLE, true));
        AttackSupport.put("PractitionerRole", GHOST_ROLE, AttackSupport.peerRole(GHOST, ORG, null, true));
        AttackSupport.put("PractitionerRole", ASSIGNEE_ROLE, AttackSupport.peerRole(ASSIGNEE, ORG, null, true));
        AttackSupport.put("PractitionerRole", PEER_OFF_ROLE, AttackSupport.peerRole(PEER_OFF, ORG, null, true));
        // the write patients: W1 in the peer's, supervisor's and clinician's care, W2 in a peer's nobody acts as
        for (String w : WRITE_PATIENTS) {
            AttackSupport.put("Patient", w, AttackSupport.patient(FAMILY.get(w)) + "," + ids(new String[] {KEY, w}));
            AttackSupport.put("CarePlan", "as-plan-" + w, AttackSupport.carePlan(w, null));
        }
        AttackSupport.assign("as-plan-" + W1, PEER_ROLE, "Practitioner/" + CLIN);
        AttackSupport.assign("as-plan-" + W1, PEER_OFF_ROLE, "Practitioner/" + CLIN);
        AttackSupport.assign("as-plan-" + W2, GHOST_ROLE, "Practitioner/" + CLIN);
        AttackSupport.put("CareTeam", "as-treat-" + W1, AttackSupport.careTeam(W1, "Practitioner/" + CLIN));
        System.out.println("AttackSuiteIT: directory and write patients made after " + (System.nanoTime() - started) / 1_000_000 + " ms");
        writeTargets();
        System.out.println("AttackSuiteIT: " + TARGET_ENTRIES.size() + " write targets made after "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        Thread.sleep(1100);
        readSceneStart = Instant.now().minusMillis(100);
        for (String p : READ_PATIENTS) {
            String label = p.substring(3, p.lastIndexOf('-'));
            String plan = "as-plan-" + label + "-" + RUN;
            String goal = "as-goal-" + label + "-" + RUN;
            record(new Rec("Patient", p, p, false, "patient"), AttackSupport.patient(FAMILY.get(p)));
            record(new Rec("Goal", goal, p, false, "goal"), AttackSupport.goal(p));
            record(new Rec("CarePlan", plan, p, false, "plan"), AttackSupport.carePlan(p, "Goal/" + goal));
            String mentor = IN_CARE.contains(p) ? PEER_ROLE : GHOST_ROLE;
            String referral = AttackSupport.assign(plan, mentor, "Practitioner/" + CLIN);
            if (IN_CARE.contains(p)) {
                AttackSupport.assign(plan, PEER_OFF_ROLE, "Practitioner/" + CLIN);
            }
            if (IN_CARE.contains(p)) {
                AttackSupport.put("CareTeam", "as-treat-" + label + "-" + RUN, AttackSupport.careTeam(p, "Practitioner/" + CLIN));
            }
            record(new Rec("Encounter", "as-visit-" + label + "-" + RUN, p, false, "visit"),
                    AttackSupport.visit(p, "PractitionerRole/" + mentor));
            record(new Rec("Encounter", "as-session-" + label + "-" + RUN, p, true, "session"),
                    AttackSupport.session(p, "PractitionerRole/" + mentor, "ServiceRequest/" + referral));
            record(new Rec("Communication", "as-msg-" + label + "-" + RUN, p, true, "message"),
                    AttackSupport.message(p, "PractitionerRole/" + mentor, "ServiceRequest/" + referral, "Keep going " + RUN));
            if (CONSENTED.contains(p)) {
                AttackSupport.put("Consent", "as-consent-" + label + "-" + RUN, AttackSupport.consent(p, OUTSIDE, "active"));
            }
        }
        // the deactivated peer's role ends here: its assignments and care team places stay as they were
        AttackSupport.put("PractitionerRole", PEER_OFF_ROLE, AttackSupport.peerRole(PEER_OFF, ORG, null, false));
        // every token, once
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fetched = new ArrayList<>();
        for (Who who : Who.values()) {
            for (Scope scope : Scope.values()) {
                fetched.add(pool.submit(() -> token(who, scope)));
            }
        }
        for (Future<?> f : fetched) {
            f.get();
        }
        pool.shutdown();
        System.out.println("AttackSuiteIT: scene made in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static void record(Rec rec, String members) {
        AttackSupport.put(rec.type(), rec.id(), members + "," + ids(new String[] {SYS, rec.id()}));
        RECORDS.add(rec);
        BY_REF.put(rec.ref(), rec);
    }

    /**
     * Write targets are the caller's own under a full scope; the scopes that allow no write at all share one per
     * role (a write refused by scope changes nothing; should one go through, its marker, or its 2xx answer for a
     * delete, tells which case did it).
     */
    private static String targetGroup(Who who, Scope scope) {
        return who + "-" + (scope == Scope.FULL ? "FULL" : "NOWRITE");
    }

    /** Every record a write case works on, made up front with the program's token in a few transactions. */
    private static void writeTargets() {
        for (Who who : Who.values()) {
            for (Scope scope : List.of(Scope.FULL, Scope.READ_ONLY)) {
                String ws = targetGroup(who, scope);
                for (String p : WRITE_PATIENTS) {
                    for (String type : RECORD_TYPES) {
                        for (String kind : List.of("batch", "transaction")) {
                            target("hijack-" + kind + "-" + ws + "-" + type + "-" + p, type, p, null);
                        }
                    }
                    for (String type : WRITE_TYPES) {
                        for (String kind : List.of("batch", "transaction")) {
                            target("delete-" + kind + "-" + ws + "-" + type + "-" + p, type, p, null);
                        }
                    }
                    target("assign-" + ws + "-" + p, "CarePlan", p, null);
                    for (String type : RECORD_TYPES) {
                        for (String kind : PATCH_KINDS) {
                            target("patch-" + kind + "-" + ws + "-" + type + "-" + p, type, p, null);
                        }
                    }
                }
            }
        }
        for (String type : RECORD_TYPES) {
            target("put-" + type + "-" + W1, type, W1, null);
            target("put-" + type + "-" + W2, type, W2, null);
            for (String path : CONDITIONAL_PATHS) {
                for (String owner : List.of("shared", Who.EHR_IN.name(), Who.EHR_OUT.name())) {
                    String key = slug(path) + "-" + type + "-" + owner;
                    target("c1-" + key, type, W1, key + "-ONE_W1");
                    target("c2-" + key, type, W2, key + "-ONE_W2");
                    target("c3-" + key, type, W2, key + "-TWO_W2");
                    target("c4-" + key, type, W2, key + "-TWO_W2");
                }
            }
        }
        for (String type : RECORD_TYPES) {
            for (String owner : List.of("shared", Who.EHR_IN.name(), Who.EHR_OUT.name())) {
                target("cpatch-" + type + "-" + owner, type, W2, "cpatch-" + type + "-" + owner);
            }
        }
        // two people nobody cares for, sharing an identifier (conditional references matching two)
        target("two-a", "Patient", W2, "two");
        target("two-b", "Patient", W2, "two");
        // one after another: transactions writing the same types in parallel wait for each other
        for (int from = 0; from < TARGET_ENTRIES.size(); from += 200) {
            List<String[]> chunk = TARGET_ENTRIES.subList(from, Math.min(from + 200, TARGET_ENTRIES.size()));
            HttpResponse<String> r = FhirServer.send("POST", "", AttackSupport.JSON, requestBundle("transaction", chunk),
                    "Prefer", "return=minimal");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static void target(String name, String type, String patient, String key) {
        String id = "as-t-" + RUN + "-" + UUID.randomUUID().toString().substring(0, 13);
        TARGETS.put(name, id);
        String members = type.equals("Patient") ? AttackSupport.patient("Target" + RUN) : members(type, patient);
        String identifiers = key == null ? ids(new String[] {SYS, id}) : ids(new String[] {SYS, id}, new String[] {KEY, key});
        TARGET_ENTRIES.add(entry("PUT", type + "/" + id, "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\","
                + members + "," + identifiers + "}"));
    }

    /** The members of a written record of the type about the patient, authored by the peer. */
    private static String members(String type, String patient) {
        String peer = "PractitionerRole/" + PEER_ROLE;
        return switch (type) {
            case "Patient" -> AttackSupport.patient(FAMILY.getOrDefault(patient, "New" + RUN));
            case "Encounter" -> AttackSupport.visit(patient, peer);
            case "Communication" -> AttackSupport.message(patient, peer, null, "Written " + RUN);
            case "Goal" -> AttackSupport.goal(patient);
            case "CarePlan" -> AttackSupport.carePlan(patient, null);
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static String ids(String[]... systemValues) {
        return "\"identifier\":[" + Stream.of(systemValues).map(sv -> "{\"system\":\"" + sv[0] + "\",\"value\":\""
                + sv[1] + "\"}").collect(Collectors.joining(",")) + "]";
    }

    private static String json(String type, String id, String patient, String[]... identifiers) {
        return "{\"resourceType\":\"" + type + "\"," + (id == null ? "" : "\"id\":\"" + id + "\",") + members(type, patient)
                + (identifiers.length == 0 ? "" : "," + ids(identifiers)) + "}";
    }

    static String token(Who who, Scope scope) {
        return TOKENS.computeIfAbsent(who + "/" + scope, k -> {
            boolean ehr = who == Who.EHR_IN || who == Who.EHR_OUT;
            String context = ehr ? "system" : "user";
            String scopes = switch (scope) {
                case FULL -> context + "/*.cruds";
                case READ_ONLY -> context + "/*.rs";
                case LAUNCH_PATIENT -> "launch/patient patient/*.rs";
                case UNRELATED -> context + "/Practitioner.rs";
                case CAREPLAN_ONLY -> context + "/CarePlan.rs";
            };
            String role = switch (who) {
                case PEER, PEER_DEACTIVATED -> "peer-specialist";
                case SUPERVISOR -> "supervisor";
                case CLINICIAN -> "clinician";
                case EHR_IN, EHR_OUT -> "ehr-system";
                case ADMIN -> "admin";
            };
            String fhirUser = switch (who) {
                case PEER -> PEER;
                case PEER_DEACTIVATED -> PEER_OFF;
                case SUPERVISOR -> SUP;
                case CLINICIAN -> CLIN;
                case ADMIN -> ADMIN;
                default -> null;
            };
            StringBuilder q = new StringBuilder("role=").append(role).append("&scope=").append(enc(scopes));
            if (fhirUser != null) {
                q.append("&fhirUser=").append(enc("Practitioner/" + fhirUser));
            }
            if (scope == Scope.LAUNCH_PATIENT) {
                q.append("&patient=").append(P1);
            }
            if (who == Who.EHR_OUT) {
                q.append("&clientId=").append(OUTSIDE);
            }
            return FhirServer.fetchToken(q.toString());
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ================================================================== the cases

    /** PATCH by REST (JSON Patch) and as a transaction entry (FHIRPath Patch). */
    private static final List<String> PATCH_KINDS = List.of("REST", "transaction");

    private static final List<String> CONDITIONAL_PATHS = List.of("conditional update (REST)", "conditional delete (REST)",
            "batch conditional PUT", "batch conditional DELETE", "transaction conditional PUT",
            "transaction conditional DELETE");

    @TestFactory
    Stream<DynamicTest> attacks() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (Who who : Who.values()) {
            for (Scope scope : Scope.values()) {
                readCases(cases, who, scope);
                writeCases(cases, who, scope);
            }
        }
        Map<Case, Verdict> verdicts = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("alongside.it.attackThreads", 6));
        long started = System.nanoTime();
        try {
            for (int phase : List.of(0, 1, 2)) {
                Map<Case, Future<Verdict>> running = new LinkedHashMap<>();
                for (Case c : cases) {
                    if (c.phase() == phase) {
                        running.put(c, pool.submit(() -> judge(c)));
                    }
                }
                for (Map.Entry<Case, Future<Verdict>> e : running.entrySet()) {
                    verdicts.put(e.getKey(), e.getValue().get());
                }
            }
        } finally {
            pool.shutdown();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        for (Map.Entry<Case, Verdict> e : verdicts.entrySet()) {
            int[] counts = SUMMARY.computeIfAbsent(e.getKey().path(), k -> new int[3]);
            Verdict v = e.getValue();
            counts[v.passed() ? 0 : v.kind().equals("CROSSING") ? 1 : 2]++;
            if (!v.passed()) {
                (v.kind().equals("CROSSING") ? CROSSINGS : WRONGS).add(e.getKey().path() + " | " + e.getKey().name()
                        + " | " + v.message());
            }
        }
        System.out.println("AttackSuiteIT: " + verdicts.size() + " cases in " + seconds + " s");
        return verdicts.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().path() + ": " + e.getKey().name(),
                () -> {
                    Verdict v = e.getValue();
                    if (!v.passed()) {
                        throw new AssertionError(v.kind() + ": " + v.message());
                    }
                }));
    }

    private static Verdict judge(Case c) {
        try {
            return c.check().get();
        } catch (RuntimeException | AssertionError e) {
            return wrong("the case could not be checked: " + e);
        }
    }

    @AfterAll
    static void summary() throws Exception {
        StringBuilder text = new StringBuilder("AttackSuiteIT on " + FhirServer.database() + " (run " + RUN + ")\n");
        text.append(String.format("%-40s %7s %7s %9s %7s%n", "path", "cases", "pass", "crossing", "wrong"));
        int[] total = new int[3];
        for (Map.Entry<String, int[]> e : SUMMARY.entrySet()) {
            int[] c = e.getValue();
            text.append(String.format("%-40s %7d %7d %9d %7d%n", e.getKey(), c[0] + c[1] + c[2], c[0], c[1], c[2]));
            for (int i = 0; i < 3; i++) {
                total[i] += c[i];
            }
        }
        text.append(String.format("%-40s %7d %7d %9d %7d%n", "TOTAL", total[0] + total[1] + total[2], total[0],
                total[1], total[2]));
        System.out.println(text);
        Path out = Path.of("target", "attack-suite-" + FhirServer.database() + ".txt");
        Files.createDirectories(out.getParent());
        List<String> crossings = new ArrayList<>(CROSSINGS);
        Collections.sort(crossings);
        List<String> wrongs = new ArrayList<>(WRONGS);
        Collections.sort(wrongs);
        Files.writeString(out, text + "\nCROSSINGS\n" + String.join("\n", crossings) + "\n\nWRONG\n"
                + String.join("\n", wrongs) + "\n");
    }

    private static void add(List<Case> cases, int phase, String path, String name, Supplier<Verdict> check) {
        cases.add(new Case(phase, path, name, check));
    }

    private static Verdict crossing(String message) {
        return new Verdict("CROSSING", message);
    }

    private static Verdict wrong(String message) {
        return new Verdict("WRONG", message);
    }

    private static Verdict all(List<Verdict> verdicts) {
        for (String kind : List.of("CROSSING", "WRONG")) {
            List<String> messages = verdicts.stream().filter(v -> v.kind().equals(kind)).map(Verdict::message).toList();
            if (!messages.isEmpty()) {
                return new Verdict(kind, String.join("; ", messages));
            }
        }
        return Verdict.PASS;
    }

    // ------------------------------------------------------------------ reads

    private static void readCases(List<Case> cases, Who who, Scope scope) {
        String t = who + " " + scope;
        // export status first: finished jobs are removed 30 s after they end
        add(cases, 0, "$export status (another's job)", t, () -> exportStatus(who, scope));
        add(cases, 1, "$export kick-off", t + " → " + (canExport(who, scope) ? "202" : "403"), () -> exportKickOff(who, scope));
        for (Rec rec : RECORDS) {
            boolean allowed = canRead(who, scope, rec);
            String n = t + " " + rec.kind() + " of " + label(rec.patient()) + " → " + (allowed ? "200" : "403");
            add(cases, 1, "read", n, () -> judgeRead(allowed, get(who, scope, "/" + rec.ref()), rec));
            add(cases, 1, "vread", n, () -> judgeRead(allowed, get(who, scope, "/" + rec.ref() + "/_history/1"), rec));
            add(cases, 1, "history (instance)", n, () -> historyInstance(who, scope, rec, allowed));
        }
        for (String type : SEARCH_TYPES) {
            List<Rec> ofType = RECORDS.stream().filter(r -> r.type().equals(type)).toList();
            String idList = ofType.stream().map(Rec::id).collect(Collectors.joining(","));
            add(cases, 1, "search", t + " " + type + "?_id=<all>", () -> judgeSearch(who, scope, type,
                    get(who, scope, "/" + type + "?_id=" + idList + "&_total=accurate&_count=100"), visible(who, scope, ofType)));
            add(cases, 1, "history (type)", t + " " + type, () -> historyList(who, scope, type));
            for (String p : READ_PATIENTS) {
                String param = type.equals("Patient") ? "_id=" + p : "patient=" + p;
                List<Rec> mine = ofType.stream().filter(r -> r.patient().equals(p)).toList();
                if (!type.equals("Patient")) {
                    add(cases, 1, "search", t + " " + type + "?patient=" + label(p), () -> judgeSearch(who, scope, type,
                            get(who, scope, "/" + type + "?" + param + "&_total=accurate"), visible(who, scope, mine)));
                    // a chain looks into Patient: the caller must be allowed to search Patient too
                    add(cases, 1, "chained search", t + " " + type + "?patient.name=<" + label(p) + ">",
                            () -> judgeSearch(canSearch(who, scope, type) && canSearch(who, scope, "Patient"),
                                    get(who, scope, "/" + type + "?patient.name=" + FAMILY.get(p)),
                                    visible(who, scope, mine), type));
                }
                add(cases, 1, "_summary=count", t + " " + type + "?" + (type.equals("Patient") ? "_id=" : "patient=") + label(p),
                        () -> judgeCount(who, scope, type, get(who, scope, "/" + type + "?" + param + "&_summary=count"),
                                visible(who, scope, mine).size()));
            }
        }
        for (String[] inc : List.of(new String[] {"Encounter", "Encounter:patient"},
                new String[] {"Communication", "Communication:subject"}, new String[] {"Goal", "Goal:patient"},
                new String[] {"CarePlan", "CarePlan:patient"})) {
            List<Rec> matches = RECORDS.stream().filter(r -> r.type().equals(inc[0])).toList();
            Set<String> expected = new LinkedHashSet<>(visible(who, scope, matches));
            for (Rec m : matches) {
                Rec person = BY_REF.get("Patient/" + m.patient());
                if (expected.contains(m.ref()) && canRead(who, scope, person)) {
                    expected.add(person.ref());
                }
            }
            String ids = matches.stream().map(Rec::id).collect(Collectors.joining(","));
            add(cases, 1, "_include", t + " " + inc[1], () -> judgeSearch(who, scope, inc[0],
                    get(who, scope, "/" + inc[0] + "?_id=" + ids + "&_include=" + inc[1]), expected));
            String rev = inc[1];
            Set<String> revExpected = new LinkedHashSet<>();
            for (Rec m : RECORDS) {
                if (m.type().equals("Patient") && canRead(who, scope, m)) {
                    revExpected.add(m.ref());
                }
            }
            for (Rec m : matches) {
                if (revExpected.contains("Patient/" + m.patient()) && canRead(who, scope, m)) {
                    revExpected.add(m.ref());
                }
            }
            add(cases, 1, "_revinclude", t + " Patient?_revinclude=" + rev, () -> judgeSearch(who, scope, "Patient",
                    get(who, scope, "/Patient?_id=" + String.join(",", READ_PATIENTS) + "&_revinclude=" + rev), revExpected));
        }
        for (String[] has : List.of(new String[] {"session", "_has:Encounter:patient:type=" + AttackSupport.HCPCS + "|H0038"},
                new String[] {"message", "_has:Communication:subject:category=" + AttackSupport.MESSAGE_CATEGORY + "|encouragement"},
                new String[] {"goal", "_has:Goal:patient:lifecycle-status=active"},
                new String[] {"visit", "_has:Encounter:patient:class=AMB"})) {
            Set<String> expected = new LinkedHashSet<>();
            for (Rec m : RECORDS) {
                Rec person = BY_REF.get("Patient/" + m.patient());
                boolean matches = m.kind().equals(has[0]) || (has[0].equals("visit") && m.kind().equals("session"));
                if (matches && canRead(who, scope, m) && canRead(who, scope, person)) {
                    expected.add(person.ref());
                }
            }
            // _has looks into the source type: the caller must be allowed to search it, and a recipient outside the
            // Part 2 program may not look into people's records that way at all (a match tells what consent hides)
            String source = has[1].split(":")[1];
            add(cases, 1, "_has", t + " Patient?" + has[1].substring(0, has[1].indexOf('=')), () -> judgeSearch(
                    canSearch(who, scope, "Patient") && canSearch(who, scope, source) && who != Who.EHR_OUT,
                    get(who, scope, "/Patient?_id=" + String.join(",", READ_PATIENTS) + "&" + has[1]), expected, "Patient"));
        }
        add(cases, 1, "history (system)", t, () -> historyList(who, scope, null));
        bundleGets(cases, who, scope);
        for (String p : READ_PATIENTS) {
            Rec plan = RECORDS.stream().filter(r -> r.kind().equals("plan") && r.patient().equals(p)).findFirst().orElseThrow();
            for (String method : List.of("GET", "POST")) {
                add(cases, 1, "$side-by-side (" + method + ")", t + " plan of " + label(p) + " → "
                        + (canRead(who, scope, plan) ? "200" : "403"), () -> sideBySide(who, scope, plan, method));
            }
            Rec person = BY_REF.get("Patient/" + p);
            add(cases, 1, "$everything", t + " " + label(p) + " → " + (canRead(who, scope, person) ? "200" : "403"),
                    () -> everything(who, scope, person));
            // ranking peers for a plan is for whoever may assign one in it
            boolean match = canWrite(who, scope, "CarePlan", Op.UPDATE, p);
            add(cases, 1, "$match-peer-mentor", t + " plan of " + label(p) + " → " + (match ? "200" : "403"),
                    () -> matchPeers(who, scope, plan, match));
            add(cases, 1, "AuditEvent search", t + " patient " + label(p) + " → "
                    + (canSearchAudit(who, scope, p) ? "200" : "403"), () -> auditSearch(who, scope, p));
        }
        add(cases, 1, "$validate", t, () -> validate(who, scope));
        add(cases, 1, "terminology", t + " $expand, $lookup, $validate-code → 200", () -> terminology(who, scope));
    }

    private static Set<String> visible(Who who, Scope scope, List<Rec> recs) {
        return recs.stream().filter(r -> canRead(who, scope, r)).map(Rec::ref).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static HttpResponse<String> get(Who who, Scope scope, String path, String... headers) {
        return AttackSupport.get(token(who, scope), path, headers);
    }

    private static HttpResponse<String> send(Who who, Scope scope, String method, String path, String body, String... headers) {
        return AttackSupport.as(token(who, scope), method, path, body, headers);
    }

    private static Verdict judgeRead(boolean allowed, HttpResponse<String> r, Rec rec) {
        return judgeRead(allowed, r.statusCode(), r.statusCode() == 200, r.body());
    }

    /** A read answered with a status and maybe the record. */
    private static Verdict judgeRead(boolean allowed, int status, boolean carriesRecord, String body) {
        if (allowed) {
            return status == 200 && carriesRecord ? Verdict.PASS : wrong("expected 200, got " + status);
        }
        if (status == 200 || carriesRecord) {
            return crossing("expected 403, got " + status + " with the record");
        }
        for (String family : FAMILY.values()) {
            if (body != null && body.contains(family)) {
                return crossing("the refusal names the person");
            }
        }
        return status == 403 ? Verdict.PASS : wrong("expected 403, got " + status);
    }

    private static Verdict judgeSearch(Who who, Scope scope, String type, HttpResponse<String> r, Set<String> expected) {
        return judgeSearch(canSearch(who, scope, type), r, expected, type);
    }

    private static Verdict judgeSearch(boolean allowed, HttpResponse<String> r, Set<String> expected, String type) {
        return judgeSearch(allowed, r.statusCode(), r.statusCode() == 200 ? bundle(r.body()) : null, expected, type);
    }

    /** A search answered with a status and maybe a searchset: exactly the visible records, totals counting no more. */
    private static Verdict judgeSearch(boolean allowed, int status, Bundle found, Set<String> expected, String type) {
        if (!allowed) {
            if (found != null && !AttackSupport.ids(found).isEmpty()) {
                return crossing("expected 403, got " + status + " with " + AttackSupport.ids(found));
            }
            return status == 403 ? Verdict.PASS : wrong("expected 403, got " + status);
        }
        if (status != 200 || found == null) {
            return wrong("expected 200, got " + status);
        }
        Set<String> actual = AttackSupport.ids(found);
        Set<String> extra = new LinkedHashSet<>(actual);
        extra.removeAll(expected);
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(actual);
        if (!extra.isEmpty()) {
            return crossing("records beyond the visible ones: " + extra);
        }
        long matches = expected.stream().filter(ref -> ref.startsWith(type + "/")).count();
        if (found.hasTotal() && found.getTotal() > matches) {
            return crossing("total " + found.getTotal() + " counts more than the " + matches + " visible");
        }
        if (!missing.isEmpty()) {
            return wrong("visible records missing: " + missing);
        }
        return Verdict.PASS;
    }

    private static Verdict judgeCount(Who who, Scope scope, String type, HttpResponse<String> r, int visible) {
        if (!canSearch(who, scope, type)) {
            if (r.statusCode() == 200 && bundle(r.body()).hasTotal() && bundle(r.body()).getTotal() > 0) {
                return crossing("expected 403, got a count of " + bundle(r.body()).getTotal());
            }
            return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
        }
        if (r.statusCode() != 200) {
            return wrong("expected 200, got " + r.statusCode());
        }
        Bundle b = bundle(r.body());
        if (!b.getEntry().isEmpty() && b.getEntry().stream().anyMatch(e -> e.hasResource())) {
            return wrong("_summary=count returned entries");
        }
        if (b.hasTotal() && b.getTotal() > visible) {
            return crossing("count " + b.getTotal() + " > visible " + visible);
        }
        if (b.hasTotal() && b.getTotal() < visible) {
            return wrong("count " + b.getTotal() + " < visible " + visible);
        }
        return Verdict.PASS;
    }

    private static Verdict historyInstance(Who who, Scope scope, Rec rec, boolean allowed) {
        HttpResponse<String> r = get(who, scope, "/" + rec.ref() + "/_history");
        boolean carries = r.statusCode() == 200 && AttackSupport.ids(bundle(r.body())).contains(rec.ref());
        if (!allowed) {
            if (carries) {
                return crossing("expected 403 (or no entry), got " + r.statusCode() + " with the record's versions");
            }
            return r.statusCode() == 403 || r.statusCode() == 200 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
        }
        return carries ? Verdict.PASS : wrong("expected the versions, got " + r.statusCode());
    }

    /** Type or system history since the read scene was made: of the scene's records, exactly the visible ones. */
    private static Verdict historyList(Who who, Scope scope, String type) {
        String path = (type == null ? "" : "/" + type) + "/_history?_count=500&_since=" + readSceneStart;
        List<Rec> scope0 = RECORDS.stream().filter(r -> type == null || r.type().equals(type)).toList();
        Set<String> expected = visible(who, scope, scope0);
        Set<String> known = scope0.stream().map(Rec::ref).collect(Collectors.toSet());
        Set<String> seen = new LinkedHashSet<>();
        String url = path;
        int status = 0;
        for (int page = 0; page < 40 && url != null; page++) {
            HttpResponse<String> r = get(who, scope, url);
            status = r.statusCode();
            if (status != 200) {
                break;
            }
            Bundle b = bundle(r.body());
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                String ref = e.hasResource() ? e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()
                        : e.getFullUrl() == null ? null : e.getFullUrl().replaceAll("^.*/fhir/", "");
                if (ref != null && known.contains(ref) && e.hasResource()) {
                    seen.add(ref);
                }
            }
            url = b.getLink("next") == null ? null : b.getLink("next").getUrl();
        }
        boolean allowed = type == null || canSearch(who, scope, type);
        if (!allowed || (type == null && expected.isEmpty())) {
            if (!seen.isEmpty()) {
                return crossing("history shows " + seen);
            }
            return status == 403 || (status == 200 && type == null) ? Verdict.PASS : wrong("expected 403, got " + status);
        }
        if (status != 200) {
            return wrong("expected 200, got " + status);
        }
        Set<String> extra = new LinkedHashSet<>(seen);
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            return crossing("history shows " + extra);
        }
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(seen);
        return missing.isEmpty() ? Verdict.PASS : wrong("history misses " + missing);
    }

    // ------------------------------------------------------------------ Bundle GETs

    /** One GET probe of a Bundle: a read of a record or a search with its visible result. */
    private record Probe(String url, Rec read, String searchType, Set<String> expected, boolean allowed) {
    }

    private static List<Probe> probes(Who who, Scope scope) {
        List<Probe> probes = new ArrayList<>();
        for (Rec rec : RECORDS) {
            probes.add(new Probe(rec.ref(), rec, null, null, canRead(who, scope, rec)));
        }
        for (String type : RECORD_TYPES) {
            for (String p : READ_PATIENTS) {
                List<Rec> mine = RECORDS.stream().filter(r -> r.type().equals(type) && r.patient().equals(p)).toList();
                probes.add(new Probe(type + "?patient=" + p, null, type, visible(who, scope, mine), canSearch(who, scope, type)));
            }
        }
        List<Rec> patients = RECORDS.stream().filter(r -> r.type().equals("Patient")).toList();
        probes.add(new Probe("Patient?_id=" + String.join(",", READ_PATIENTS), null, "Patient", visible(who, scope, patients),
                canSearch(who, scope, "Patient")));
        List<Rec> encounters = RECORDS.stream().filter(r -> r.type().equals("Encounter")).toList();
        Set<String> withPatients = new LinkedHashSet<>(visible(who, scope, encounters));
        for (Rec e : encounters) {
            Rec person = BY_REF.get("Patient/" + e.patient());
            if (withPatients.contains(e.ref()) && canRead(who, scope, person)) {
                withPatients.add(person.ref());
            }
        }
        probes.add(new Probe("Encounter?_id=" + encounters.stream().map(Rec::id).collect(Collectors.joining(","))
                + "&_include=Encounter:patient", null, "Encounter", withPatients, canSearch(who, scope, "Encounter")));
        return probes;
    }

    private static void bundleGets(List<Case> cases, Who who, Scope scope) {
        List<Probe> probes = probes(who, scope);
        String t = who + " " + scope;
        Map<String, Bundle> batchAnswer = new ConcurrentHashMap<>();
        Supplier<Bundle> batch = () -> batchAnswer.computeIfAbsent("b", k -> {
            HttpResponse<String> r = send(who, scope, "POST", "", requestBundle("batch",
                    probes.stream().map(p -> entry("GET", p.url())).toList()));
            return r.statusCode() == 200 ? bundle(r.body()) : new Bundle();
        });
        List<Probe> allowed = probes.stream().filter(Probe::allowed).toList();
        Map<String, HttpResponse<String>> txAnswer = new ConcurrentHashMap<>();
        Supplier<HttpResponse<String>> tx = () -> txAnswer.computeIfAbsent("t", k -> send(who, scope, "POST", "",
                requestBundle("transaction", allowed.stream().map(p -> entry("GET", p.url())).toList())));
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            int index = i;
            String n = t + " GET " + describe(probe) + " → " + (probe.allowed() ? "200" : "403");
            add(cases, 1, "batch GET", n, () -> {
                Bundle answer;
                synchronized (batchAnswer) {
                    answer = batch.get();
                }
                if (answer.getEntry().size() != probes.size()) {
                    return wrong("the batch was not answered entry by entry");
                }
                return judgeEntry(probe, answer.getEntry().get(index));
            });
            if (probe.allowed()) {
                int txIndex = allowed.indexOf(probe);
                add(cases, 1, "transaction GET", n, () -> {
                    HttpResponse<String> r;
                    synchronized (txAnswer) {
                        r = tx.get();
                    }
                    if (r.statusCode() != 200) {
                        return wrong("a transaction of allowed GETs answered " + r.statusCode());
                    }
                    return judgeEntry(probe, bundle(r.body()).getEntry().get(txIndex));
                });
            } else {
                add(cases, 1, "transaction GET", n, () -> {
                    HttpResponse<String> r = send(who, scope, "POST", "", requestBundle("transaction",
                            entries(entry("GET", probe.url()))));
                    if (r.statusCode() == 200) {
                        return judgeEntry(probe, bundle(r.body()).getEntryFirstRep());
                    }
                    if (probe.read() != null && r.body().contains("\"" + probe.read().id() + "\"")) {
                        return crossing("the refusal carries the record");
                    }
                    return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
                });
            }
        }
    }

    private static String describe(Probe probe) {
        if (probe.read() != null) {
            return probe.read().kind() + " of " + label(probe.read().patient());
        }
        String url = probe.url();
        for (String p : READ_PATIENTS) {
            url = url.replace(p, label(p));
        }
        return url.length() > 60 ? url.substring(0, url.indexOf('?') + 1) + "..." + (url.contains("_include") ? "&_include" : "") : url;
    }

    private static Verdict judgeEntry(Probe probe, Bundle.BundleEntryComponent e) {
        int status = status(e);
        if (probe.read() != null) {
            boolean carries = e.hasResource() && probe.read().id().equals(e.getResource().getIdElement().getIdPart());
            return judgeRead(probe.allowed(), status, carries, null);
        }
        Bundle found = e.getResource() instanceof Bundle b ? b : null;
        return judgeSearch(probe.allowed(), status, found, probe.expected(), probe.searchType());
    }

    // ------------------------------------------------------------------ operations and the audit trail

    /** An operation refused (403) or answered (200) as it should be; null when its answer's content is to be judged. */
    private static Verdict judgeOperationStatus(boolean allowed, HttpResponse<String> r) {
        if (!allowed) {
            if (r.statusCode() == 200) {
                return crossing("expected 403, got 200");
            }
            return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
        }
        return r.statusCode() == 200 ? null : wrong("expected 200, got " + r.statusCode());
    }

    private static Verdict matchPeers(Who who, Scope scope, Rec plan, boolean allowed) {
        HttpResponse<String> r = get(who, scope, "/" + plan.ref() + "/$match-peer-mentor?count=50");
        Verdict status = judgeOperationStatus(allowed, r);
        if (status != null) {
            return status;
        }
        // peers, their reasons and caseload counts: never a record of someone the caller may not read
        List<String> leaked = RECORDS.stream().filter(m -> !canRead(who, scope, m) && r.body().contains(m.ref()))
                .map(Rec::ref).toList();
        return leaked.isEmpty() ? Verdict.PASS : crossing("shows " + leaked);
    }

    private static Verdict sideBySide(Who who, Scope scope, Rec plan, String method) {
        HttpResponse<String> r = send(who, scope, method, "/" + plan.ref() + "/$side-by-side",
                method.equals("POST") ? "{\"resourceType\":\"Parameters\"}" : null);
        boolean allowed = canRead(who, scope, plan);
        Verdict status = judgeOperationStatus(allowed, r);
        if (status != null) {
            return status;
        }
        Bundle view = bundle(r.body());
        List<String> leaked = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>();
        Integer sessions = null;
        for (Bundle.BundleEntryComponent e : view.getEntry()) {
            Resource res = e.getResource();
            if (res instanceof Parameters p) {
                if (p.getParameter("sessionsTotal") != null && p.getParameter("sessionsTotal").getValue() instanceof IntegerType n) {
                    sessions = n.getValue();
                }
                continue;
            }
            String ref = res.fhirType() + "/" + res.getIdElement().getIdPart();
            shown.add(ref);
            Rec rec = BY_REF.get(ref);
            String patient = rec != null ? rec.patient() : patientOf(res);
            boolean part2 = rec != null ? rec.part2() : res.getMeta().getSecurity().stream().anyMatch(c -> "SUD".equals(c.getCode()));
            if (patient == null || !canRead(who, scope, res.fhirType(), patient, part2)) {
                leaked.add(ref);
            }
        }
        if (!leaked.isEmpty()) {
            return crossing("records the caller may not read: " + leaked);
        }
        Rec session = RECORDS.stream().filter(x -> x.kind().equals("session") && x.patient().equals(plan.patient())).findFirst().orElseThrow();
        if (!canRead(who, scope, session) && sessions != null && sessions > 0) {
            return crossing("sessionsTotal " + sessions + " counts sessions the caller may not read");
        }
        List<String> missing = RECORDS.stream().filter(x -> x.patient().equals(plan.patient())
                        && Set.of("plan", "goal", "session", "message").contains(x.kind()) && canRead(who, scope, x))
                .map(Rec::ref).filter(ref -> !shown.contains(ref)).toList();
        return missing.isEmpty() ? Verdict.PASS : wrong("visible records missing: " + missing);
    }

    /** The person's compartment: every record the caller may read about them, nothing else, over every page. */
    private static Verdict everything(Who who, Scope scope, Rec person) {
        HttpResponse<String> r = get(who, scope, "/" + person.ref() + "/$everything?_count=4");
        Verdict status = judgeOperationStatus(canRead(who, scope, person), r);
        if (status != null) {
            return status;
        }
        Set<String> shown = new LinkedHashSet<>();
        List<String> leaked = new ArrayList<>();
        for (Bundle page = bundle(r.body()); page != null; ) {
            for (Bundle.BundleEntryComponent e : page.getEntry()) {
                Resource res = e.getResource();
                String ref = res.fhirType() + "/" + res.getIdElement().getIdPart();
                if (!shown.add(ref)) {
                    return wrong(ref + " on two pages");
                }
                Rec rec = BY_REF.get(ref);
                String patient = rec != null ? rec.patient() : patientOf(res);
                boolean part2 = rec != null ? rec.part2()
                        : res.getMeta().getSecurity().stream().anyMatch(c -> "SUD".equals(c.getCode()));
                if (!person.patient().equals(patient) || !canRead(who, scope, res.fhirType(), patient, part2)) {
                    leaked.add(ref);
                }
            }
            Bundle.BundleLinkComponent next = page.getLink(Bundle.LINK_NEXT);
            if (next == null) {
                break;
            }
            HttpResponse<String> following = get(who, scope, next.getUrl().substring(next.getUrl().indexOf("/Patient")));
            if (following.statusCode() != 200) {
                return wrong("next page answered " + following.statusCode());
            }
            page = bundle(following.body());
        }
        if (!leaked.isEmpty()) {
            return crossing("records the caller may not read, or of someone else: " + leaked);
        }
        List<String> missing = RECORDS.stream().filter(x -> x.patient().equals(person.patient())
                        && Set.of("plan", "goal", "session", "message").contains(x.kind()) && canRead(who, scope, x))
                .map(Rec::ref).filter(ref -> !shown.contains(ref)).toList();
        return missing.isEmpty() ? Verdict.PASS : wrong("visible records missing: " + missing);
    }

    private static String patientOf(Resource res) {
        Reference ref = res instanceof ServiceRequest s ? s.getSubject() : res instanceof Task t ? t.getFor()
                : res instanceof CareTeam c ? c.getSubject() : res instanceof CarePlan c ? c.getSubject()
                : res instanceof Goal g ? g.getSubject() : res instanceof Encounter e ? e.getSubject()
                : res instanceof Communication c ? c.getSubject() : res instanceof Procedure p ? p.getSubject()
                : res instanceof Consent c ? c.getPatient() : null;
        if (res.fhirType().equals("Patient")) {
            return res.getIdElement().getIdPart();
        }
        return ref == null || ref.getReference() == null ? null : ref.getReference().replace("Patient/", "");
    }

    private static Verdict auditSearch(Who who, Scope scope, String patient) {
        HttpResponse<String> r = get(who, scope, "/AuditEvent?patient=Patient/" + patient + "&_count=100");
        boolean allowed = canSearchAudit(who, scope, patient);
        if (!allowed) {
            if (r.statusCode() == 200 && !bundle(r.body()).getEntry().isEmpty()) {
                return crossing("expected 403, got " + bundle(r.body()).getEntry().size() + " events about the person");
            }
            return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
        }
        if (r.statusCode() != 200) {
            return wrong("expected 200, got " + r.statusCode());
        }
        Bundle events = bundle(r.body());
        if (events.getEntry().isEmpty()) {
            return wrong("no events about a person whose records were written");
        }
        if (who == Who.EHR_OUT && !CONSENTED.contains(patient)) {
            // the trail names the person's Part 2 records: their existence must not leave the program without consent
            Set<String> part2 = RECORDS.stream().filter(x -> x.patient().equals(patient) && x.part2()).map(Rec::ref)
                    .collect(Collectors.toSet());
            Set<String> named = new LinkedHashSet<>();
            for (Bundle.BundleEntryComponent e : events.getEntry()) {
                for (AuditEvent.AuditEventEntityComponent entity : ((AuditEvent) e.getResource()).getEntity()) {
                    String what = entity.getWhat().getReference();
                    if (what != null && part2.contains(what.replaceAll("/_history/.*$", ""))) {
                        named.add(what.replaceAll("/_history/.*$", ""));
                    }
                }
            }
            if (!named.isEmpty()) {
                return crossing("the trail names Part 2 records without consent: " + named);
            }
        }
        return Verdict.PASS;
    }

    private static final Map<String, String> EXPORT_STATUS = new ConcurrentHashMap<>();

    /** A job of the program's own integration (EHR_IN): only that client sees it. */
    private static Verdict exportStatus(Who who, Scope scope) {
        String status = EXPORT_STATUS.computeIfAbsent("job", k -> {
            HttpResponse<String> r = FhirServer.get("/$export?_type=Patient&_since=" + Instant.now().plusSeconds(3600),
                    "Prefer", "respond-async");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            return r.headers().firstValue("Content-Location").orElseThrow();
        });
        HttpResponse<String> r = get(who, scope, status);
        boolean owner = canExport(who, scope);
        if (owner) {
            return r.statusCode() == 200 || r.statusCode() == 202 ? Verdict.PASS : wrong("own job: " + r.statusCode());
        }
        if (r.statusCode() == 200 || r.statusCode() == 202) {
            return crossing("another client's export job answered " + r.statusCode());
        }
        return r.statusCode() == 404 || r.statusCode() == 403 ? Verdict.PASS : wrong("expected 404, got " + r.statusCode());
    }

    private static Verdict exportKickOff(Who who, Scope scope) {
        HttpResponse<String> r = get(who, scope, "/$export?_type=Patient&_since=" + Instant.now().plusSeconds(3600),
                "Prefer", "respond-async");
        if (canExport(who, scope)) {
            return r.statusCode() == 202 ? Verdict.PASS : wrong("expected 202, got " + r.statusCode());
        }
        if (r.statusCode() == 202) {
            return crossing("export started for a caller who may not export");
        }
        return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
    }

    private static Verdict validate(Who who, Scope scope) {
        String marker = UUID.randomUUID().toString();
        HttpResponse<String> r = send(who, scope, "POST", "/Goal/$validate", json("Goal", null, W1, new String[] {MARK, marker}));
        if (count("Goal", MARK, marker) != 0) {
            return crossing("$validate stored the resource");
        }
        boolean allowed = scopeAllows(scope, "Goal", Op.READ) && roleAllows(who, "Goal", Op.READ);
        if (allowed) {
            return r.statusCode() == 200 ? Verdict.PASS : wrong("expected 200, got " + r.statusCode());
        }
        return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
    }

    /**
     * The terminology operations read published definitions (docs/security.md): every authenticated caller may call
     * them, whatever the token's scopes, and what they answer names no record of the scene.
     */
    private static Verdict terminology(Who who, Scope scope) {
        String modality = "http://alongside.health/fhir/CodeSystem/session-modality";
        for (String path : List.of("/ValueSet/$expand?url=http://alongside.health/fhir/ValueSet/focus-area&count=3",
                "/ValueSet/session-modality/$expand?filter=ph",
                "/CodeSystem/$lookup?system=" + modality + "&code=phone",
                "/ValueSet/session-modality/$validate-code?system=" + modality + "&code=phone",
                "/CodeSystem/$validate-code?url=" + modality + "&code=phone")) {
            HttpResponse<String> r = get(who, scope, path);
            if (r.statusCode() != 200) {
                return wrong(path + ": expected 200, got " + r.statusCode());
            }
            List<String> leaked = RECORDS.stream().filter(m -> r.body().contains(m.ref())).map(Rec::ref).toList();
            if (!leaked.isEmpty()) {
                return crossing(path + " shows " + leaked);
            }
        }
        return Verdict.PASS;
    }

    // ------------------------------------------------------------------ writes

    private static void writeCases(List<Case> cases, Who who, Scope scope) {
        String t = who + " " + scope;
        String ws = targetGroup(who, scope);
        boolean shared = scope != Scope.FULL;
        for (String kind : List.of("batch", "transaction")) {
            for (String p : WRITE_PATIENTS) {
                for (String type : WRITE_TYPES) {
                    boolean create = canWrite(who, scope, type, Op.CREATE, p);
                    add(cases, 2, kind + " POST", t + " " + type + " of " + label(p) + " → " + (create ? "201" : "403"),
                            () -> bundlePost(who, scope, kind, type, p, create));
                    boolean update = canWrite(who, scope, type, Op.UPDATE, p);
                    String putTarget = type.equals("Patient") ? p : TARGETS.get("put-" + type + "-" + p);
                    add(cases, 2, kind + " PUT", t + " " + type + " of " + label(p) + " → " + (update ? "200" : "403"),
                            () -> bundlePut(who, scope, kind, type, putTarget, p, update));
                    boolean delete = canWrite(who, scope, type, Op.DELETE, p);
                    String deleteTarget = TARGETS.get("delete-" + kind + "-" + ws + "-" + type + "-" + p);
                    add(cases, 2, kind + " DELETE", t + " " + type + " of " + label(p) + " → " + (delete ? "200" : "403"),
                            () -> bundleDelete(who, scope, kind, type, deleteTarget, delete, shared));
                    if (!type.equals("Patient")) {
                        // the body names no id; the URL names a record of p; the content is about W1 (in the caller's care)
                        boolean hijack = update && canWrite(who, scope, type, Op.UPDATE, W1);
                        String hijackTarget = TARGETS.get("hijack-" + kind + "-" + ws + "-" + type + "-" + p);
                        add(cases, 2, kind + " PUT without id", t + " " + type + " of " + label(p) + " → "
                                + (hijack ? "200" : "403"), () -> bundleIdlessPut(who, scope, kind, type, hijackTarget, p, hijack));
                    }
                }
            }
        }
        // a patch is a read and an update: it needs both, Part 2 consent included. The write patients have no consent
        // until the Consent cases of phase 2 may give them one, so the patch cases run in phase 1, beside the reads
        for (String kind : PATCH_KINDS) {
            for (String p : WRITE_PATIENTS) {
                for (String type : RECORD_TYPES) {
                    boolean patch = canWrite(who, scope, type, Op.UPDATE, p)
                            && canRead(who, scope, type, p, writtenAsPart2(type));
                    String target = TARGETS.get("patch-" + kind + "-" + ws + "-" + type + "-" + p);
                    add(cases, 1, kind.equals("REST") ? "PATCH (REST)" : "transaction PATCH", t + " " + type + " of "
                            + label(p) + " → " + (patch ? "200" : "403"), () -> patch(who, scope, kind, type, target, patch));
                }
            }
        }
        for (String type : RECORD_TYPES) {
            add(cases, 1, "conditional PATCH (REST)", t + " " + type + " matching one of W2",
                    () -> conditionalPatch(who, scope, type));
        }
        for (String p : List.of(W1, W2, "none", "two")) {
            add(cases, 2, "transaction conditional reference", t + " Goal.subject=Patient?identifier=<" + label(p) + ">",
                    () -> conditionalReference(who, scope, p));
        }
        for (String type : RECORD_TYPES) {
            for (String p : READ_PATIENTS) {
                Rec match = RECORDS.stream().filter(r -> r.type().equals(type) && r.patient().equals(p)
                        && !r.kind().equals("visit")).findFirst().orElseThrow();
                add(cases, 2, "conditional create (REST)", t + " " + type + " If-None-Exist matching the " + match.kind()
                        + " of " + label(p), () -> conditionalCreate(who, scope, type, match));
            }
            add(cases, 2, "conditional create (REST)", t + " " + type + " If-None-Exist matching nothing",
                    () -> conditionalCreate(who, scope, type, null));
            for (String path : CONDITIONAL_PATHS) {
                for (Match match : Match.values()) {
                    add(cases, 2, path, t + " " + type + " matching " + match, () -> conditionalWrite(who, scope, path, type, match));
                }
            }
        }
        for (String p : WRITE_PATIENTS) {
            // a Consent naming the outside client as recipient: Part 2 honours only consents the program records
            boolean consent = canWrite(who, scope, "Consent", Op.CREATE, p) && who != Who.EHR_OUT;
            for (String method : List.of("POST", "PUT", "transaction POST")) {
                add(cases, 2, "Consent naming the outside client (" + method + ")", t + " for " + label(p) + " → "
                        + (consent ? "201" : "403"), () -> consentWrite(who, scope, method, p, consent));
            }
            boolean session = canWrite(who, scope, "Encounter", Op.CREATE, p);
            add(cases, 2, "$record-peer-session", t + " for " + label(p) + " → " + (session ? "200" : "403"),
                    () -> recordSession(who, scope, p, session));
            boolean assign = canWrite(who, scope, "CarePlan", Op.UPDATE, p);
            add(cases, 2, "$assign-peer-mentor", t + " plan of " + label(p) + " → " + (assign ? "200" : "403"),
                    () -> assign(who, scope, TARGETS.get("assign-" + ws + "-" + p), assign, shared));
        }
    }

    /** The HTTP status of a one-entry Bundle: the entry's when answered, else the whole answer's (a refused transaction). */
    private static int bundleStatus(String kind, HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return status(bundle(r.body()).getEntryFirstRep());
        }
        return r.statusCode();
    }

    private static Verdict judgeWrite(boolean allowed, int status, boolean stored, String what) {
        if (!allowed) {
            if (stored) {
                return crossing(what + " refused by the rules was stored (status " + status + ")");
            }
            return status == 403 ? Verdict.PASS : wrong("expected 403, got " + status);
        }
        if (status >= 300) {
            return wrong("expected success, got " + status);
        }
        return stored ? Verdict.PASS : wrong(what + " answered " + status + " but nothing was stored");
    }

    private static Verdict bundlePost(Who who, Scope scope, String kind, String type, String p, boolean allowed) {
        String marker = UUID.randomUUID().toString();
        HttpResponse<String> r = send(who, scope, "POST", "", requestBundle(kind, entries(entry("POST", type,
                json(type, null, p, new String[] {MARK, marker})))));
        return judgeWrite(allowed, bundleStatus(kind, r), count(type, MARK, marker) > 0, "the create");
    }

    private static Verdict bundlePut(Who who, Scope scope, String kind, String type, String id, String p, boolean allowed) {
        String marker = UUID.randomUUID().toString();
        String body = json(type, id, p, new String[] {SYS, id}, new String[] {KEY, id}, new String[] {MARK, marker});
        HttpResponse<String> r = send(who, scope, "POST", "", requestBundle(kind, entries(entry("PUT", type + "/" + id, body))));
        HttpResponse<String> history = FhirServer.get("/" + type + "/" + id + "/_history?_count=1000");
        return judgeWrite(allowed, bundleStatus(kind, r), history.body().contains(marker), "the update");
    }

    private static Verdict bundleIdlessPut(Who who, Scope scope, String kind, String type, String id, String p, boolean allowed) {
        String marker = UUID.randomUUID().toString();
        String body = json(type, null, W1, new String[] {MARK, marker});
        HttpResponse<String> r = send(who, scope, "POST", "", requestBundle(kind, entries(entry("PUT", type + "/" + id, body))));
        HttpResponse<String> now = FhirServer.get("/" + type + "/" + id);
        return judgeWrite(allowed, bundleStatus(kind, r), now.body().contains(marker), "the replacement of a record of "
                + label(p));
    }

    private static Verdict bundleDelete(Who who, Scope scope, String kind, String type, String id, boolean allowed,
                                        boolean shared) {
        HttpResponse<String> r = send(who, scope, "POST", "", requestBundle(kind, entries(entry("DELETE", type + "/" + id))));
        int status = bundleStatus(kind, r);
        int after = FhirServer.get("/" + type + "/" + id).statusCode();
        boolean gone = (after == 410 || after == 404) && (!shared || status < 300);
        return judgeWrite(allowed, status, gone, "the delete");
    }

    /** The write scene's Communications are encouragements (Part 2 records); its Encounters are ordinary visits. */
    private static boolean writtenAsPart2(String type) {
        return type.equals("Communication");
    }

    /** PATCH adding a marker identifier: by REST as JSON Patch, in a transaction as FHIRPath Patch. */
    private static Verdict patch(Who who, Scope scope, String kind, String type, String id, boolean allowed) {
        String marker = UUID.randomUUID().toString();
        int status;
        if (kind.equals("REST")) {
            status = AttackSupport.typed(token(who, scope), "PATCH", "/" + type + "/" + id, "application/json-patch+json",
                    AttackSupport.jsonPatchAddingIdentifier(MARK, marker)).statusCode();
        } else {
            status = bundleStatus(kind, send(who, scope, "POST", "", requestBundle(kind, entries(entry("PATCH",
                    type + "/" + id, AttackSupport.fhirPathPatchAddingIdentifier(type, MARK, marker))))));
        }
        return judgeWrite(allowed, status, count(type, MARK, marker) > 0, "the patch");
    }

    /**
     * A conditional PATCH chooses its target by a search: only for callers who reach everyone, like a conditional update.
     * A match such a caller may not read (Part 2 without consent) is, for them, no match: 404, as for nothing at all.
     */
    private static Verdict conditionalPatch(Who who, Scope scope, String type) {
        boolean write = everyone(who, scope) && canWrite(who, scope, type, Op.UPDATE, W2);
        boolean allowed = write && canRead(who, scope, type, W2, writtenAsPart2(type));
        String key = "cpatch-" + type + "-" + (write ? who.name() : "shared");
        String marker = UUID.randomUUID().toString();
        int status = AttackSupport.typed(token(who, scope), "PATCH", "/" + type + "?identifier=" + KEY + "|" + enc(key),
                "application/json-patch+json", AttackSupport.jsonPatchAddingIdentifier(MARK, marker)).statusCode();
        boolean wrote = count(type, MARK, marker) > 0;
        if (allowed) {
            return status == 200 && wrote ? Verdict.PASS : wrong("expected 200, got " + status);
        }
        if (wrote) {
            return crossing("a conditional patch the rules refuse wrote (status " + status + ")");
        }
        if (write) {
            return status == 404 ? Verdict.PASS : crossing("a match the caller may not read answered " + status
                    + " instead of 404 (no match)");
        }
        if (status == 412 || status == 404 || status == 200) {
            return crossing("the answer (" + status + ") tells what matches outside the caller's reach");
        }
        return status == 403 ? Verdict.PASS : wrong("expected 403, got " + status);
    }

    /** If-None-Exist: a match the caller may read is returned; one they may not read is as if nothing matched. */
    private static Verdict conditionalCreate(Who who, Scope scope, String type, Rec match) {
        String marker = UUID.randomUUID().toString();
        boolean create = canWrite(who, scope, type, Op.CREATE, W1);
        String condition = "identifier=" + SYS + "|" + (match == null ? "nothing-" + marker : match.id());
        HttpResponse<String> r = send(who, scope, "POST", "/" + type, json(type, null, W1, new String[] {MARK, marker}),
                "If-None-Exist", condition);
        boolean returnsMatch = match != null && r.body().contains("\"" + match.id() + "\"");
        boolean visible = match != null && canRead(who, scope, match);
        if (!create) {
            if (returnsMatch && !visible) {
                return crossing("returned the match the caller may not read");
            }
            if (r.statusCode() == 201 || count(type, MARK, marker) > 0) {
                return crossing("created a record the caller may not create");
            }
            return r.statusCode() == 403 ? Verdict.PASS : wrong("expected 403, got " + r.statusCode());
        }
        if (visible) {
            return r.statusCode() == 200 && returnsMatch ? Verdict.PASS : wrong("expected 200 with the match, got "
                    + r.statusCode());
        }
        if (returnsMatch) {
            return crossing("returned the match the caller may not read");
        }
        if (r.statusCode() != 201) {
            return match == null ? wrong("expected 201, got " + r.statusCode())
                    : crossing("a match outside the caller's reach changed the answer: " + r.statusCode() + " instead of 201");
        }
        return Verdict.PASS;
    }

    /**
     * Conditional update and delete choose their target by a search: only for callers who reach everyone. Anyone
     * else gets 403 whatever matches; for them nothing changes.
     */
    private static Verdict conditionalWrite(Who who, Scope scope, String path, String type, Match match) {
        boolean delete = path.contains("DELETE") || path.contains("delete");
        boolean allowed = everyone(who, scope) && canWrite(who, scope, type, delete ? Op.DELETE : Op.UPDATE, W2);
        String owner = allowed ? who.name() : "shared";
        String key = match == Match.NONE ? "none-" + UUID.randomUUID() : slug(path) + "-" + type + "-" + owner + "-" + match;
        String patient = match == Match.ONE_W1 ? W1 : W2;
        String marker = UUID.randomUUID().toString();
        String query = type + "?identifier=" + KEY + "|" + enc(key);
        String body = json(type, null, patient, new String[] {KEY, key}, new String[] {MARK, marker});
        // what the scene made: no record for NONE, one for ONE_*, two for TWO_W2
        int before = match == Match.NONE ? 0 : match == Match.TWO_W2 ? 2 : 1;
        int status;
        if (path.startsWith("conditional")) {
            status = (delete ? send(who, scope, "DELETE", "/" + query, null) : send(who, scope, "PUT", "/" + query, body))
                    .statusCode();
        } else {
            String kind = path.startsWith("batch") ? "batch" : "transaction";
            String url = type + "?identifier=" + KEY + "|" + key;
            HttpResponse<String> r = send(who, scope, "POST", "", requestBundle(kind,
                    entries(delete ? entry("DELETE", url) : entry("PUT", url, body))));
            status = bundleStatus(kind, r);
        }
        int after = delete ? count(type, KEY, key) : -1;
        boolean wrote = delete ? after < before : count(type, MARK, marker) > 0;
        if (!allowed) {
            if (wrote) {
                return crossing("a conditional " + (delete ? "delete" : "update") + " by a caller who does not reach everyone wrote");
            }
            if (status == 412 || status == 404 || status == 200 || status == 201 || status == 204) {
                return crossing("the answer (" + status + ") tells what matches outside the caller's reach");
            }
            return status == 403 ? Verdict.PASS : wrong("expected 403, got " + status);
        }
        return switch (match) {
            case NONE -> delete ? (status < 300 || status == 404 ? Verdict.PASS : wrong("delete of nothing: " + status))
                    : (status == 201 && wrote ? Verdict.PASS : wrong("expected 201, got " + status));
            case ONE_W1, ONE_W2 -> status < 300 && wrote ? Verdict.PASS : wrong("expected success, got " + status
                    + (wrote ? "" : ", nothing written"));
            case TWO_W2 -> status == 412 || (delete && status < 300 && after == 0) ? Verdict.PASS
                    : wrong("two matches: expected 412, got " + status);
        };
    }

    /** A conditional reference to a person: one the caller may not see answers as one that matches nobody. */
    private static Verdict conditionalReference(Who who, Scope scope, String p) {
        String nobodyAnswer = conditionalReferenceAnswer(who, scope, "nobody-" + UUID.randomUUID());
        String answer = conditionalReferenceAnswer(who, scope, p.equals("none") ? "nobody-" + UUID.randomUUID()
                : p.equals("two") ? "two" : p);
        int nobody = Integer.parseInt(nobodyAnswer.substring(0, 3));
        int status = Integer.parseInt(answer.substring(0, 3));
        if (p.equals("none")) {
            if (nobody < 400) {
                return wrong("a reference to nobody was accepted: " + nobody);
            }
            return Verdict.PASS;
        }
        boolean visible = !p.equals("two") && canRead(who, scope, "Patient", p, false);
        boolean createOk = !p.equals("two") && canWrite(who, scope, "Goal", Op.CREATE, p);
        if (p.equals("two") && everyone(who, scope) && canWrite(who, scope, "Goal", Op.CREATE, W2)) {
            return status == 412 ? Verdict.PASS : wrong("two matches: expected 412, got " + status);
        }
        if (visible) {
            int expected = createOk ? 201 : 403;
            if (status == 201 && !createOk) {
                return crossing("created a Goal the caller may not create");
            }
            return status == expected || (createOk && status == 200) ? Verdict.PASS : wrong("expected " + expected + ", got " + status);
        }
        if (status < 300) {
            return crossing("created a Goal for a person the caller may not see");
        }
        return answer.equals(nobodyAnswer) ? Verdict.PASS
                : crossing("answer \"" + answer + "\" differs from the answer for nobody \"" + nobodyAnswer + "\"");
    }

    /** The status and the diagnostics (with the searched-for key taken out) of a transaction with a conditional reference. */
    private static String conditionalReferenceAnswer(Who who, Scope scope, String key) {
        String goal = "{\"resourceType\":\"Goal\",\"lifecycleStatus\":\"active\",\"description\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient?identifier=" + KEY + "|" + key + "\"}}";
        HttpResponse<String> r = send(who, scope, "POST", "", requestBundle("transaction", entries(entry("POST", "Goal", goal))));
        String diagnostics = "";
        if (r.statusCode() != 200) {
            Resource outcome = AttackSupport.resource(r.body());
            if (outcome instanceof org.hl7.fhir.r4.model.OperationOutcome oo) {
                diagnostics = oo.getIssue().stream().map(i -> String.valueOf(i.getDiagnostics())).collect(Collectors.joining(" | "));
            }
        }
        return r.statusCode() + " " + diagnostics.replace(key, "<key>");
    }

    private static Verdict recordSession(Who who, Scope scope, String p, boolean allowed) {
        String key = UUID.randomUUID().toString();
        String peer = p.equals(W1) ? PEER_ROLE : GHOST_ROLE;
        String params = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/" + p + "\"}},"
                + "{\"name\":\"peer\",\"valueReference\":{\"reference\":\"PractitionerRole/" + peer + "\"}},"
                + "{\"name\":\"start\",\"valueDateTime\":\"" + AttackSupport.SESSION_START + "\"},"
                + "{\"name\":\"end\",\"valueDateTime\":\"" + AttackSupport.SESSION_END + "\"},"
                + "{\"name\":\"modality\",\"valueString\":\"phone\"},"
                + "{\"name\":\"focus\",\"valueCoding\":{\"system\":\"http://alongside.health/fhir/CodeSystem/focus-area\","
                + "\"code\":\"cravings\"}},"
                + "{\"name\":\"whatWasDone\",\"valueString\":\"Talked\"},{\"name\":\"response\",\"valueString\":\"Helped\"},"
                + "{\"name\":\"nextSteps\",\"valueString\":\"Call Friday\"},"
                + "{\"name\":\"clientKey\",\"valueString\":\"" + key + "\"}]}";
        HttpResponse<String> r = send(who, scope, "POST", "/Encounter/$record-peer-session", params);
        // a peer may record only their own sessions: for W2 the session's peer is not the caller
        boolean own = (who != Who.PEER && who != Who.PEER_DEACTIVATED) || p.equals(W1);
        boolean stored = count("Encounter", SESSION_KEY, key) > 0;
        // a person the caller may not see is "not known" (404), exactly like one that does not exist: no existence signal
        if (!(allowed && own) && !stored && r.statusCode() == 404 && !canRead(who, scope, "Patient", p, false)) {
            return Verdict.PASS;
        }
        return judgeWrite(allowed && own, r.statusCode(), stored, "the session");
    }

    private static Verdict consentWrite(Who who, Scope scope, String method, String p, boolean allowed) {
        String marker = UUID.randomUUID().toString();
        String id = "as-consent-" + UUID.randomUUID().toString().substring(0, 18);
        String body = "{\"resourceType\":\"Consent\"," + (method.equals("PUT") ? "\"id\":\"" + id + "\"," : "")
                + AttackSupport.consent(p, OUTSIDE, "active") + "," + ids(new String[] {MARK, marker}) + "}";
        HttpResponse<String> r = switch (method) {
            case "POST" -> send(who, scope, "POST", "/Consent", body);
            case "PUT" -> send(who, scope, "PUT", "/Consent/" + id, body);
            default -> send(who, scope, "POST", "", requestBundle("transaction", entries(entry("POST", "Consent", body))));
        };
        return judgeWrite(allowed, method.startsWith("transaction") ? bundleStatus("transaction", r) : r.statusCode(),
                count("Consent", MARK, marker) > 0, "the consent");
    }

    private static Verdict assign(Who who, Scope scope, String plan, boolean allowed, boolean shared) {
        HttpResponse<String> r = send(who, scope, "POST", "/CarePlan/" + plan + "/$assign-peer-mentor",
                AttackSupport.assignment(ASSIGNEE_ROLE, "Practitioner/" + CLIN));
        String version = AttackSupport.resource(FhirServer.get("/CarePlan/" + plan).body()).getMeta().getVersionId();
        return judgeWrite(allowed, r.statusCode(), !"1".equals(version) && (!shared || r.statusCode() < 300),
                "the assignment");
    }

    /** How many records of the type carry the identifier (the program's token sees everything). */
    private static int count(String type, String system, String value) {
        HttpResponse<String> r = FhirServer.get("/" + type + "?identifier=" + system + "|" + enc(value) + "&_summary=count");
        return bundle(r.body()).getTotal();
    }

    private static String slug(String path) {
        return path.replaceAll("[^A-Za-z]+", "-");
    }

    private static String label(String patient) {
        return patient.equals(P1) ? "P1" : patient.equals(P1C) ? "P1C(consent)" : patient.equals(P2) ? "P2"
                : patient.equals(P2C) ? "P2C(consent)" : patient.equals(W1) ? "W1" : patient.equals(W2) ? "W2" : patient;
    }
}
