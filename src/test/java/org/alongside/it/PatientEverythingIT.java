package org.alongside.it;

import static org.alongside.it.AttackSupport.as;
import static org.alongside.it.AttackSupport.bundle;
import static org.alongside.it.AttackSupport.get;
import static org.alongside.it.AttackSupport.ids;
import static org.alongside.it.AttackSupport.put;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * {@code Patient/[id]/$everything} and {@code Patient/$everything}, called with HAPI's generic client as an EHR would:
 * the person's compartment, paged without repeats, narrowed by {@code _type} and {@code _since}, and never more than
 * the caller may read one record at a time (a peer's reach, Part 2 consent for an outside recipient).
 */
class PatientEverythingIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ORG = "ev-org-" + RUN;
    private static final String PEER = "ev-peer-" + RUN;
    private static final String PEER_ROLE = "ev-peer-role-" + RUN;
    private static final String CLIN = "ev-clin-" + RUN;
    /** Another peer's role, who writes to OTHER. */
    private static final String OTHER_ROLE = "ev-other-role-" + RUN;
    private static final String MINE = "ev-mine-" + RUN;
    private static final String OTHER = "ev-other-" + RUN;
    private static final String SECRET = "Everything secret " + RUN;
    /** An EHR client outside the Part 2 program, with no consent of anyone. */
    private static final String OUTSIDE = "ev-outside-" + RUN;

    /** Records in MINE's compartment, as "Type/id". */
    private static final Set<String> MINE_RECORDS = new LinkedHashSet<>();

    @BeforeAll
    static void scene() {
        put("Organization", ORG, AttackSupport.organization("Everything clinic " + RUN));
        put("Practitioner", PEER, "\"name\":[{\"text\":\"" + PEER + "\"}]");
        put("Practitioner", CLIN, "\"name\":[{\"text\":\"" + CLIN + "\"}]");
        put("PractitionerRole", PEER_ROLE, AttackSupport.peerRole(PEER, ORG, null, true));
        put("PractitionerRole", OTHER_ROLE, AttackSupport.peerRole(CLIN, ORG, null, true));
        for (String person : List.of(MINE, OTHER)) {
            put("Patient", person, AttackSupport.patient("Everything" + person.hashCode()));
            put("Goal", "goal-" + person, AttackSupport.goal(person));
            put("CarePlan", "plan-" + person, AttackSupport.carePlan(person, "Goal/goal-" + person));
        }
        String referral = AttackSupport.assign("plan-" + MINE, PEER_ROLE, "Practitioner/" + CLIN);
        put("Encounter", "session-" + MINE, AttackSupport.session(MINE, "PractitionerRole/" + PEER_ROLE,
                "ServiceRequest/" + referral));
        put("Communication", "msg-" + MINE, AttackSupport.message(MINE, "PractitionerRole/" + PEER_ROLE,
                "ServiceRequest/" + referral, SECRET));
        put("Encounter", "visit-" + OTHER, AttackSupport.visit(OTHER, "Practitioner/" + CLIN));
        put("Communication", "msg-" + OTHER, AttackSupport.message(OTHER, "PractitionerRole/" + OTHER_ROLE, null,
                "other " + SECRET));
        MINE_RECORDS.addAll(List.of("Patient/" + MINE, "Goal/goal-" + MINE, "CarePlan/plan-" + MINE,
                "Encounter/session-" + MINE, "Communication/msg-" + MINE, "ServiceRequest/" + referral));
    }

    private static IGenericClient ehr() {
        return FhirServer.client();
    }

    private static IGenericClient peer() {
        return FhirServer.clientWith(FhirServer.token("peer-specialist", "Practitioner/" + PEER, "user/*.cruds", null));
    }

    private static Bundle everything(IGenericClient client, String patient, Parameters in) {
        return client.operation().onInstance(new IdType("Patient", patient)).named("$everything")
                .withParameters(in).useHttpGet().returnResourceType(Bundle.class).execute();
    }

    /** Every record of every page, following the next links; fails on a record met twice. */
    private static List<String> allPages(IGenericClient client, Bundle first) {
        List<String> refs = new ArrayList<>();
        Bundle page = first;
        for (int pages = 0; page != null; pages++) {
            assertThat(pages).as("pages followed").isLessThan(100);
            refs.addAll(ids(page));
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : client.loadPage().next(page).execute();
        }
        assertThat(refs).as("no record twice across pages").doesNotHaveDuplicates();
        return refs;
    }

    @Test
    void everythingForAPersonIsTheirCompartmentAndNothingOfAnyoneElse() {
        Bundle page = everything(ehr(), MINE, new Parameters());

        List<String> refs = allPages(ehr(), page);
        assertThat(refs).containsAll(MINE_RECORDS);
        assertThat(refs).noneMatch(ref -> ref.endsWith(OTHER) || ref.contains("-" + OTHER));
        assertThat(refs.get(0)).as("the person comes first").isEqualTo("Patient/" + MINE);
        assertThat(page.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
    }

    @Test
    void smallPagesTogetherHoldTheSameRecordsAsOneLargePage() {
        Parameters two = new Parameters();
        two.addParameter().setName("_count").setValue(new IntegerType(2));

        Bundle first = everything(ehr(), MINE, two);

        assertThat(first.getEntry()).hasSizeLessThanOrEqualTo(2);
        assertThat(first.getLink(Bundle.LINK_NEXT)).as("more than two records: a next page").isNotNull();
        assertThat(new LinkedHashSet<>(allPages(ehr(), first)))
                .isEqualTo(new LinkedHashSet<>(allPages(ehr(), everything(ehr(), MINE, new Parameters()))));
    }

    @Test
    void typeNarrowsToThoseTypesAndTheSinceLeavesOutWhatDidNotChange() {
        Parameters typed = new Parameters();
        typed.addParameter().setName("_type").setValue(new StringType("Communication,Goal"));
        assertThat(allPages(ehr(), everything(ehr(), MINE, typed))).containsExactlyInAnyOrder(
                "Patient/" + MINE, "Communication/msg-" + MINE, "Goal/goal-" + MINE);

        String since = AttackSupport.resource(FhirServer.get("/Goal/goal-" + MINE).body()).getMeta()
                .getLastUpdatedElement().getValueAsString();
        put("Goal", "goal-" + MINE, AttackSupport.goal(MINE) + ",\"note\":[{\"text\":\"walked today\"}]");
        Parameters changed = new Parameters();
        changed.addParameter().setName("_since").setValue(new StringType(since));
        changed.addParameter().setName("_type").setValue(new StringType("Goal,CarePlan"));
        List<String> refs = allPages(ehr(), everything(ehr(), MINE, changed));
        assertThat(refs).contains("Goal/goal-" + MINE);
        assertThat(refs).as("the person did not change since").doesNotContain("Patient/" + MINE);
    }

    @Test
    void aPeerGetsTheirPersonAndIsRefusedSomeoneOutsideTheirReach() {
        assertThat(allPages(peer(), everything(peer(), MINE, new Parameters())))
                .contains("Patient/" + MINE, "Encounter/session-" + MINE, "Communication/msg-" + MINE);

        assertRefused(() -> everything(peer(), OTHER, new Parameters()));
    }

    @Test
    void everythingForAllPeopleGivesAPeerOnlyThePeopleTheyMentor() {
        Bundle all = peer().operation().onType("Patient").named("$everything").withNoParameters(Parameters.class)
                .useHttpGet().returnResourceType(Bundle.class).execute();

        List<String> refs = allPages(peer(), all);
        assertThat(refs).contains("Patient/" + MINE, "Communication/msg-" + MINE);
        assertThat(refs).noneMatch(ref -> ref.contains(OTHER));
    }

    @Test
    void anOutsideRecipientWithoutConsentGetsNoPart2RecordOfThePerson() {
        String token = FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=" + OUTSIDE);

        HttpResponse<String> r = get(token, "/Patient/" + MINE + "/$everything");

        assertThat(r.statusCode()).as(r.body()).isIn(200, 403);
        assertThat(r.body()).doesNotContain(SECRET).doesNotContain("session-" + MINE).doesNotContain("msg-" + MINE);
    }

    @Test
    void postWithAParametersBodyAnswersAsTheGetDoes() {
        HttpResponse<String> post = as(FhirServer.systemToken(), "POST", "/Patient/" + MINE + "/$everything",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\",\"valueString\":\"Goal\"}]}");

        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(ids(bundle(post.body()))).containsExactlyInAnyOrder("Patient/" + MINE, "Goal/goal-" + MINE);
    }

    @Test
    void badParametersAreRefusedWithAnOutcomeAndAnUnknownPersonIsNotFound() {
        for (String query : List.of("start=2024-01-01", "_type=Practitioner", "_cursor=nonsense", "_since=yesterday",
                "_count=-1", "color=blue")) {
            HttpResponse<String> r = FhirServer.get("/Patient/" + MINE + "/$everything?" + query);
            assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(query).contains("OperationOutcome");
        }
        assertThat(FhirServer.get("/Patient/ev-nobody-" + RUN + "/$everything").statusCode()).isEqualTo(404);
    }

    @Test
    void theCapabilityStatementDeclaresEverythingWithTheBaseDefinition() {
        CapabilityStatement capability = ehr().capabilities().ofType(CapabilityStatement.class).execute();

        var patient = capability.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Patient")).findFirst().orElseThrow();
        assertThat(patient.getOperation()).anySatisfy(op -> {
            assertThat(op.getName()).isEqualTo("everything");
            assertThat(op.getDefinition()).isEqualTo("http://hl7.org/fhir/OperationDefinition/Patient-everything");
        });
    }

    private static void assertRefused(ThrowingCallable call) {
        try {
            call.call();
            throw new AssertionError("expected 403");
        } catch (ForbiddenOperationException expected) {
            assertThat(expected.getStatusCode()).isEqualTo(403);
        } catch (InvalidRequestException e) {
            throw new AssertionError("expected 403, got 400: " + e.getMessage());
        } catch (Throwable t) {
            if (t instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError("expected 403, got " + t, t);
        }
    }
}
