package org.alongside.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.search.SearchQuery.Criterion;
import org.alongside.search.SearchQuery.DateValue;
import org.alongside.search.SearchQuery.IdCriterion;
import org.alongside.search.SearchQuery.LastUpdatedCriterion;
import org.alongside.search.SearchQuery.MissingValue;
import org.alongside.search.SearchQuery.Modifier;
import org.alongside.search.SearchQuery.ParamCriterion;
import org.alongside.search.SearchQuery.ReferenceValue;
import org.alongside.search.SearchQuery.SortKey;
import org.alongside.search.SearchQuery.StringValue;
import org.alongside.search.SearchQuery.TokenValue;
import org.alongside.search.SearchQuery.TotalMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchRequestParserTest {

    private static final String BASE = "http://localhost:9080/fhir";
    private static final int DEFAULT_COUNT = 20;
    private static final int MAX_COUNT = 100;

    private static SearchParamRegistry registry;
    private static SearchRequestParser parser;

    @BeforeAll
    static void setUp() {
        registry = SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                List.of("Patient", "Communication", "Encounter", "CarePlan"));
        parser = new SearchRequestParser(registry, DEFAULT_COUNT, MAX_COUNT);
    }

    /** Builds the parameter map from name/value pairs; a repeated name adds another value (AND). */
    private static Map<String, List<String>> params(String... nameValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        return params;
    }

    private static SearchQuery parse(String type, String... nameValues) {
        return parser.parse(type, params(nameValues), BASE, false);
    }

    private static ParamCriterion single(SearchQuery query) {
        assertThat(query.criteria()).hasSize(1);
        assertThat(query.criteria().get(0)).isInstanceOf(ParamCriterion.class);
        return (ParamCriterion) query.criteria().get(0);
    }

    private static Object onlyValue(String type, String name, String value) {
        ParamCriterion criterion = single(parse(type, name, value));
        assertThat(criterion.anyOf()).hasSize(1);
        return criterion.anyOf().get(0);
    }

    private static void assertRefused(String type, String... nameValues) {
        assertThatThrownBy(() -> parse(type, nameValues))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).getStatusCode()).isEqualTo(400));
    }

    // ---- registry sanity: the R4 names the tests rely on ----

    @Test
    void registryKnowsTheR4CommunicationParameters() {
        for (String name : List.of("subject", "patient", "sent", "category", "recipient", "sender", "based-on",
                "encounter", "status", "identifier")) {
            assertThat(registry.find("Communication", name)).as(name).isPresent();
        }
        assertThat(registry.find("Communication", "sent").orElseThrow().type()).isEqualTo(SearchParamType.DATE);
        assertThat(registry.find("Communication", "subject").orElseThrow().targets())
                .containsExactlyInAnyOrder("Patient", "Group");
        assertThat(registry.find("Communication", "patient").orElseThrow().targets()).containsExactly("Patient");
        assertThat(registry.find("Communication", "_id")).isEmpty();
        assertThat(registry.find("Communication", "birthdate")).isEmpty();
    }

    @Test
    void unsupportedResourceTypeIsRefused() {
        assertRefused("Observation", "code", "1234-5");
    }

    // ---- tokens ----

    @Test
    void tokenCodeOnly() {
        ParamCriterion criterion = single(parse("Communication", "status", "completed"));
        assertThat(criterion.param().name()).isEqualTo("status");
        assertThat(criterion.modifier()).isEqualTo(Modifier.NONE);
        assertThat(criterion.anyOf()).containsExactly(new TokenValue(null, "completed", false));
    }

    @Test
    void tokenSystemAndCode() {
        assertThat(onlyValue("Communication", "identifier", "urn:oid:1.2.3|abc"))
                .isEqualTo(new TokenValue("urn:oid:1.2.3", "abc", true));
    }

    @Test
    void tokenWithEmptySystemMeansNoSystem() {
        assertThat(onlyValue("Communication", "identifier", "|abc")).isEqualTo(new TokenValue(null, "abc", true));
    }

    @Test
    void tokenWithSystemAndNoCodeMeansAnyCodeInSystem() {
        assertThat(onlyValue("Communication", "identifier", "urn:sys|")).isEqualTo(new TokenValue("urn:sys", null, true));
    }

    @Test
    void tokenEscapedPipeBelongsToTheSystem() {
        assertThat(onlyValue("Communication", "identifier", "urn:a\\|b|c"))
                .isEqualTo(new TokenValue("urn:a|b", "c", true));
    }

    @Test
    void malformedTokensAreRefused() {
        assertRefused("Communication", "identifier", "|");
        assertRefused("Communication", "identifier", "a|b|c");
    }

    @Test
    void repeatedParametersAreAnded() {
        SearchQuery query = parse("Communication", "status", "completed", "status", "in-progress");
        assertThat(query.criteria()).hasSize(2);
        assertThat(((ParamCriterion) query.criteria().get(0)).anyOf())
                .containsExactly(new TokenValue(null, "completed", false));
        assertThat(((ParamCriterion) query.criteria().get(1)).anyOf())
                .containsExactly(new TokenValue(null, "in-progress", false));
    }

    @Test
    void commaSeparatedValuesAreOred() {
        ParamCriterion criterion = single(parse("Communication", "status", "completed,in-progress"));
        assertThat(criterion.anyOf()).containsExactly(new TokenValue(null, "completed", false),
                new TokenValue(null, "in-progress", false));
    }

    @Test
    void escapedCommaIsPartOfTheValue() {
        ParamCriterion criterion = single(parse("Communication", "identifier", "a\\,b,c"));
        assertThat(criterion.anyOf()).containsExactly(new TokenValue(null, "a,b", false),
                new TokenValue(null, "c", false));
    }

    @Test
    void escapedCommaInStringValue() {
        ParamCriterion criterion = single(parse("Patient", "name", "Smith\\,John"));
        assertThat(criterion.anyOf()).containsExactly(new StringValue("Smith,John"));
    }

    @Test
    void emptyValueIsRefused() {
        assertRefused("Communication", "status", "");
        assertRefused("Communication", "status", ",");
    }

    // ---- references ----

    @Test
    void referenceTypeAndId() {
        assertThat(onlyValue("Communication", "subject", "Patient/p1"))
                .isEqualTo(new ReferenceValue("Patient", "p1", null));
    }

    @Test
    void plainIdOnSingleTargetParamGetsTheTargetType() {
        assertThat(onlyValue("Communication", "patient", "p1")).isEqualTo(new ReferenceValue("Patient", "p1", null));
        assertThat(onlyValue("Communication", "encounter", "e1"))
                .isEqualTo(new ReferenceValue("Encounter", "e1", null));
    }

    @Test
    void plainIdOnMultiTargetParamHasNoType() {
        assertThat(onlyValue("Communication", "subject", "p1")).isEqualTo(new ReferenceValue(null, "p1", null));
    }

    @Test
    void absoluteUrlOfThisServerBecomesRelative() {
        assertThat(onlyValue("Communication", "subject", BASE + "/Patient/p1"))
                .isEqualTo(new ReferenceValue("Patient", "p1", null));
        assertThat(onlyValue("Communication", "subject", BASE + "/Patient/p1/_history/3"))
                .isEqualTo(new ReferenceValue("Patient", "p1", null));
    }

    @Test
    void foreignAbsoluteUrlIsKeptAsUrl() {
        String url = "http://other.example.org/fhir/Patient/p1";
        assertThat(onlyValue("Communication", "subject", url)).isEqualTo(new ReferenceValue(null, null, url));
        String urn = "urn:uuid:3f2a1e6c-1111-2222-3333-444455556666";
        assertThat(onlyValue("Communication", "subject", urn)).isEqualTo(new ReferenceValue(null, null, urn));
    }

    @Test
    void absoluteUrlIsKeptWhenServerBaseUnknown() {
        String url = BASE + "/Patient/p1";
        SearchQuery query = parser.parse("Communication", params("subject", url), null, false);
        assertThat(single(query).anyOf()).containsExactly(new ReferenceValue(null, null, url));
    }

    @Test
    void typeModifierGivesTheTypeOfAPlainId() {
        ParamCriterion criterion = single(parse("Communication", "subject:Patient", "p1"));
        assertThat(criterion.modifier()).isEqualTo(Modifier.TYPE);
        assertThat(criterion.anyOf()).containsExactly(new ReferenceValue("Patient", "p1", null));
        assertThat(single(parse("Communication", "subject:Group", "g1")).anyOf())
                .containsExactly(new ReferenceValue("Group", "g1", null));
    }

    @Test
    void typeModifierContradictedByValueIsRefused() {
        assertRefused("Communication", "subject:Patient", "Group/g1");
    }

    @Test
    void referenceToATypeTheParameterCannotTargetIsRefused() {
        assertRefused("Communication", "subject", "Practitioner/x");
        assertRefused("Communication", "patient", "Group/g1");
        assertRefused("Communication", "subject:Practitioner", "x");
        assertRefused("Communication", "patient", BASE + "/Group/g1");
    }

    @Test
    void malformedReferencesAreRefused() {
        assertRefused("Communication", "subject", "fhir/Patient/p1");
        assertRefused("Communication", "subject", "Patient/bad_id");
        assertRefused("Communication", "subject", "Patient/" + "x".repeat(65));
    }

    /** "Patient/" names no resource; it must not turn into a search for the id "Patient". */
    @Test
    void referenceWithTypeButNoIdIsRefused() {
        assertRefused("Communication", "subject", "Patient/");
        assertRefused("Communication", "patient", "Patient/");
    }

    @Test
    void uriParameterValueIsAUrl() {
        String profile = "http://example.org/StructureDefinition/my-patient";
        assertThat(onlyValue("Patient", "_profile", profile)).isEqualTo(new ReferenceValue(null, null, profile));
    }

    // ---- dates ----

    private static DateValue dateValue(String value) {
        Object parsed = onlyValue("Communication", "sent", value);
        assertThat(parsed).isInstanceOf(DateValue.class);
        return (DateValue) parsed;
    }

    @Test
    void dateWithoutPrefixIsEqWithMonthPrecision() {
        DateValue value = dateValue("2024-03");
        assertThat(value.prefix()).isEqualTo(DatePrefix.EQ);
        assertThat(value.range()).isEqualTo(new DateRange(Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-04-01T00:00:00Z")));
    }

    @Test
    void datePrefixesAreRecognised() {
        assertThat(dateValue("eq2024").prefix()).isEqualTo(DatePrefix.EQ);
        assertThat(dateValue("ne2024").prefix()).isEqualTo(DatePrefix.NE);
        assertThat(dateValue("gt2024").prefix()).isEqualTo(DatePrefix.GT);
        assertThat(dateValue("lt2024").prefix()).isEqualTo(DatePrefix.LT);
        assertThat(dateValue("ge2024").prefix()).isEqualTo(DatePrefix.GE);
        assertThat(dateValue("le2024").prefix()).isEqualTo(DatePrefix.LE);
        assertThat(dateValue("sa2024").prefix()).isEqualTo(DatePrefix.SA);
        assertThat(dateValue("eb2024").prefix()).isEqualTo(DatePrefix.EB);
        assertThat(dateValue("ap2024").prefix()).isEqualTo(DatePrefix.AP);
    }

    @Test
    void prefixedDayRange() {
        DateValue value = dateValue("ge2024-03-10");
        assertThat(value.prefix()).isEqualTo(DatePrefix.GE);
        assertThat(value.range()).isEqualTo(new DateRange(Instant.parse("2024-03-10T00:00:00Z"),
                Instant.parse("2024-03-11T00:00:00Z")));
    }

    @Test
    void prefixedSecondPrecisionWithZone() {
        DateValue value = dateValue("lt2024-03-10T10:15:30+02:00");
        assertThat(value.prefix()).isEqualTo(DatePrefix.LT);
        assertThat(value.range()).isEqualTo(new DateRange(Instant.parse("2024-03-10T08:15:30Z"),
                Instant.parse("2024-03-10T08:15:31Z")));
    }

    @Test
    void yearPrecision() {
        assertThat(dateValue("2024").range()).isEqualTo(new DateRange(Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:00Z")));
    }

    @Test
    void commaSeparatedDatesAreAlternatives() {
        ParamCriterion criterion = single(parse("Communication", "sent", "lt2020,gt2024"));
        assertThat(criterion.anyOf()).extracting(v -> ((DateValue) v).prefix())
                .containsExactly(DatePrefix.LT, DatePrefix.GT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-13", "2024-02-30", "yesterday", "ge", "xx2024", "2024-3-1", "2024-03-10T25:00",
            "ge2024-13-01"})
    void invalidDatesAreRefused(String value) {
        assertRefused("Communication", "sent", value);
    }

    @Test
    void lastUpdatedIsItsOwnCriterion() {
        SearchQuery query = parse("Communication", "_lastUpdated", "gt2024-01-01");
        assertThat(query.criteria()).hasSize(1);
        Criterion criterion = query.criteria().get(0);
        assertThat(criterion).isInstanceOf(LastUpdatedCriterion.class);
        assertThat(((LastUpdatedCriterion) criterion).anyOf()).containsExactly(new DateValue(DatePrefix.GT,
                new DateRange(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-02T00:00:00Z"))));
    }

    @Test
    void lastUpdatedRefusesModifiersAndBadDates() {
        assertRefused("Communication", "_lastUpdated:missing", "true");
        assertRefused("Communication", "_lastUpdated", "2024-02-30");
    }

    // ---- _id ----

    @Test
    void idCriterion() {
        SearchQuery query = parse("Patient", "_id", "p1,p-2.x");
        assertThat(query.criteria()).containsExactly(new IdCriterion(List.of("p1", "p-2.x"), false));
    }

    @Test
    void idNotModifier() {
        SearchQuery query = parse("Patient", "_id:not", "p1");
        assertThat(query.criteria()).containsExactly(new IdCriterion(List.of("p1"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "bad_id", "p1/2", "O'Brien"})
    void invalidIdsAreRefused(String id) {
        assertRefused("Patient", "_id", id);
    }

    @Test
    void tooLongIdIsRefused() {
        assertThat(parse("Patient", "_id", "x".repeat(64)).criteria()).hasSize(1);
        assertRefused("Patient", "_id", "x".repeat(65));
    }

    @Test
    void idRefusesOtherModifiers() {
        assertRefused("Patient", "_id:exact", "p1");
        assertRefused("Patient", "_id:missing", "true");
    }

    // ---- result shaping ----

    @Test
    void defaults() {
        SearchQuery query = parse("Patient");
        assertThat(query.resourceType()).isEqualTo("Patient");
        assertThat(query.criteria()).isEmpty();
        assertThat(query.sort()).isEmpty();
        assertThat(query.count()).isEqualTo(DEFAULT_COUNT);
        assertThat(query.cursor()).isNull();
        assertThat(query.total()).isEqualTo(TotalMode.WHEN_KNOWN);
        assertThat(query.countOnly()).isFalse();
    }

    @Test
    void countIsTakenAndCappedAtMax() {
        assertThat(parse("Patient", "_count", "7").count()).isEqualTo(7);
        assertThat(parse("Patient", "_count", "5000").count()).isEqualTo(MAX_COUNT);
    }

    @Test
    void countZeroMeansCountOnly() {
        SearchQuery query = parse("Patient", "_count", "0");
        assertThat(query.count()).isZero();
        assertThat(query.countOnly()).isTrue();
    }

    @Test
    void invalidCountIsRefused() {
        assertRefused("Patient", "_count", "-1");
        assertRefused("Patient", "_count", "ten");
    }

    @Test
    void offsetsAreRefusedSincePagesFollowCursors() {
        assertRefused("Patient", "_offset", "40");
    }

    @Test
    void cursorOfASortedSearchIsTaken() {
        PageCursor cursor = PageCursor.after(List.of(Instant.parse("2026-11-01T10:00:00Z")), 42);
        SearchQuery query = parse("Communication", "_sort", "-sent", "_cursor", cursor.toString());
        assertThat(query.cursor()).isEqualTo(cursor);
        assertThat(parse("Patient", "_cursor", "17").cursor()).isEqualTo(PageCursor.after(List.of(), 17));
    }

    @Test
    void cursorMustBelongToTheSearchsSort() {
        String twoValues = PageCursor.after(java.util.Arrays.asList("a", null), 3).toString();
        assertRefused("Communication", "_sort", "sent", "_cursor", twoValues);
        assertRefused("Patient", "_cursor", twoValues);
        // a text value where the sort key is a date
        assertRefused("Communication", "_sort", "sent", "_cursor", PageCursor.after(List.of("x"), 3).toString());
        assertRefused("Patient", "_cursor", "not-a-cursor");
    }

    @Test
    void sortAscendingAndDescending() {
        assertThat(parse("Communication", "_sort", "-sent").sort())
                .containsExactly(new SortKey("sent", SearchParamType.DATE, true));
        assertThat(parse("Communication", "_sort", "sent").sort())
                .containsExactly(new SortKey("sent", SearchParamType.DATE, false));
    }

    @Test
    void sortBySeveralKeys() {
        assertThat(parse("Patient", "_sort", "family,-_lastUpdated,_id").sort()).containsExactly(
                new SortKey("family", SearchParamType.STRING, false),
                new SortKey("_lastUpdated", SearchParamType.DATE, true),
                new SortKey("_id", SearchParamType.TOKEN, false));
    }

    @Test
    void sortByReferenceOrUnknownParameterIsRefused() {
        assertRefused("Communication", "_sort", "subject");
        assertRefused("Communication", "_sort", "-patient");
        assertRefused("Communication", "_sort", "birthdate");
        assertRefused("Patient", "_sort", "_profile");
    }

    @Test
    void total() {
        assertThat(parse("Patient", "_total", "none").total()).isEqualTo(TotalMode.NONE);
        assertThat(parse("Patient", "_total", "accurate").total()).isEqualTo(TotalMode.ACCURATE);
        assertThat(parse("Patient", "_total", "estimate").total()).isEqualTo(TotalMode.ACCURATE);
        assertRefused("Patient", "_total", "exact");
    }

    @Test
    void summaryCountMeansCountOnly() {
        assertThat(parse("Patient", "_summary", "count").countOnly()).isTrue();
        SearchQuery query = parse("Patient", "_summary", "true");
        assertThat(query.countOnly()).isFalse();
        assertThat(query.criteria()).isEmpty();
    }

    @Test
    void responseShapingParametersAreNotCriteria() {
        SearchQuery query = parse("Patient", "_format", "json", "_pretty", "true", "_elements", "name",
                "family", "Smith");
        assertThat(query.criteria()).hasSize(1);
        assertThat(((ParamCriterion) query.criteria().get(0)).param().name()).isEqualTo("family");
    }

    // ---- unknown / unsupported ----

    @Test
    void unknownParameterIsRefusedWith400() {
        assertThatThrownBy(() -> parse("Communication", "colour", "red"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("colour")
                .satisfies(e -> assertThat(((InvalidRequestException) e).getStatusCode()).isEqualTo(400));
    }

    @Test
    void unknownParameterIsIgnoredWhenLenient() {
        SearchQuery query = parser.parse("Communication", params("colour", "red", "status", "completed"), BASE, true);
        assertThat(query.criteria()).hasSize(1);
        assertThat(((ParamCriterion) query.criteria().get(0)).param().name()).isEqualTo("status");
    }

    @Test
    void lenientStillRefusesBadValuesOfKnownParameters() {
        assertThatThrownBy(() -> parser.parse("Communication", params("sent", "2024-13"), BASE, true))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void oneLevelOfChainingIsParsedPerTargetType() {
        SearchQuery query = parser.parse("Communication", params("subject:Patient.name", "Smith"), BASE, false);
        SearchQuery.ChainCriterion chain = (SearchQuery.ChainCriterion) query.criteria().get(0);
        assertThat(chain.reference().name()).isEqualTo("subject");
        assertThat(chain.targets()).extracting(t -> t.param().resourceType()).containsExactly("Patient");
        assertThat(chain.targets().get(0).param().name()).isEqualTo("name");

        // without a type: every target type of subject (Patient, Group...) that this server holds and that has name
        SearchQuery untyped = parser.parse("Communication", params("subject.name", "Smith"), BASE, false);
        assertThat(((SearchQuery.ChainCriterion) untyped.criteria().get(0)).targets())
                .extracting(t -> t.param().resourceType()).containsExactly("Patient");
    }

    @Test
    void deeperChainsAndChainsThroughNonReferencesAreRefused() {
        assertRefused("Communication", "subject.organization.name", "Clinic");
        assertRefused("Communication", "status.name", "x");
        assertRefused("Communication", "subject:Patient.nonsense", "x");
        assertRefused("Communication", "subject:Encounter.name", "x");
    }

    @Test
    void reverseChainIsParsed() {
        SearchQuery query = parser.parse("Patient", params("_has:Communication:subject:status", "completed"), BASE,
                false);
        SearchQuery.HasCriterion has = (SearchQuery.HasCriterion) query.criteria().get(0);
        assertThat(has.reference().resourceType()).isEqualTo("Communication");
        assertThat(has.source().param().name()).isEqualTo("status");
        assertRefused("Patient", "_has:Communication:status:status", "completed");
        assertRefused("Patient", "_has:Communication:subject", "completed");
    }

    @Test
    void unsupportedModifiersAreRefused() {
        assertRefused("Communication", "status:text", "done");
        assertRefused("Communication", "status:contains", "done");
        assertRefused("Communication", "category:in", "http://example.org/ValueSet/x");
        assertRefused("Patient", "name:below", "Smi");
        assertRefused("Patient", "name:not", "Smith");
        assertRefused("Communication", "sent:exact", "2024");
        assertRefused("Communication", "subject:identifier", "urn:sys|1");
        assertRefused("Communication", "subject:patient", "p1");
    }

    @Test
    void supportedModifiers() {
        ParamCriterion exact = single(parse("Patient", "name:exact", "José"));
        assertThat(exact.modifier()).isEqualTo(Modifier.EXACT);
        assertThat(exact.anyOf()).containsExactly(new StringValue("José"));
        assertThat(single(parse("Patient", "name:contains", "os")).modifier()).isEqualTo(Modifier.CONTAINS);
        ParamCriterion not = single(parse("Communication", "status:not", "completed"));
        assertThat(not.modifier()).isEqualTo(Modifier.NOT);
        assertThat(not.anyOf()).containsExactly(new TokenValue(null, "completed", false));
    }

    @Test
    void missingModifier() {
        ParamCriterion missing = single(parse("Communication", "sent:missing", "true"));
        assertThat(missing.modifier()).isEqualTo(Modifier.MISSING);
        assertThat(missing.anyOf()).containsExactly(new MissingValue(true));
        ParamCriterion present = single(parse("Communication", "subject:missing", "false"));
        assertThat(present.modifier()).isEqualTo(Modifier.MISSING);
        assertThat(present.anyOf()).containsExactly(new MissingValue(false));
    }

    @Test
    void missingModifierTakesOnlyTrueOrFalse() {
        assertRefused("Communication", "sent:missing", "yes");
        assertRefused("Communication", "sent:missing", "TRUE");
    }
}
