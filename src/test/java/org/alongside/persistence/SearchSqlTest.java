package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alongside.search.PageCursor;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchSqlTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\?(\\d+)");
    private static SearchRequestParser parser;

    @BeforeAll
    static void setUp() {
        SearchParamRegistry registry = SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                List.of("Patient", "Communication", "Encounter", "CarePlan"));
        parser = new SearchRequestParser(registry, 20, 100);
    }

    private static SearchQuery query(String type, String... nameValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        return parser.parse(type, params, "http://localhost:9080/fhir", false);
    }

    /** Every ?n in the text names one bound parameter, each parameter is used exactly once. */
    private static void assertPlaceholdersMatchParams(SearchSql.Statement statement) {
        Matcher m = PLACEHOLDER.matcher(statement.sql());
        List<Integer> used = new ArrayList<>();
        while (m.find()) {
            used.add(Integer.parseInt(m.group(1)));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= statement.params().size(); i++) {
            expected.add(i);
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(statement.sql()).doesNotContain("'?").doesNotContain("?'");
    }

    /** The parameter bound at ?n of the statement. */
    private static Object boundAt(SearchSql.Statement statement, String sqlBefore) {
        int at = statement.sql().indexOf(sqlBefore);
        assertThat(at).as("SQL contains " + sqlBefore + ": " + statement.sql()).isNotNegative();
        Matcher m = PLACEHOLDER.matcher(statement.sql());
        assertThat(m.find(at + sqlBefore.length())).isTrue();
        assertThat(m.start()).isEqualTo(at + sqlBefore.length());
        return statement.params().get(Integer.parseInt(m.group(1)) - 1);
    }

    @Test
    void quoteInValueIsBoundNotSpliced() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Patient", "family", "O'Brien"));
        assertThat(statement.sql()).doesNotContainIgnoringCase("o'brien").doesNotContain("Brien");
        assertThat(statement.params()).contains("o'brien%");
        assertThat(boundAt(statement, "i.value_norm LIKE ")).isEqualTo("o'brien%");
        assertThat(statement.sql()).contains("FROM idx_string i");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void resourceTypeAndParameterNameAreBound() {
        SearchSql.Statement statement = SearchSql.selectKeys(query("Communication", "status", "completed"));
        assertThat(statement.sql()).startsWith("SELECT r.pk FROM res r WHERE ");
        assertThat(statement.sql()).doesNotContain("Communication").doesNotContain("completed")
                .doesNotContain("status");
        assertThat(boundAt(statement, "r.res_type = ")).isEqualTo("Communication");
        assertThat(boundAt(statement, "i.param = ")).isEqualTo("status");
        assertThat(boundAt(statement, "i.code = ")).isEqualTo("completed");
        assertThat(statement.sql()).contains("r.deleted = FALSE").contains("FROM idx_token i");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void injectionAttemptStaysInParameters() {
        String evil = "x'); DROP TABLE res; --";
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "identifier", evil));
        assertThat(statement.sql()).doesNotContain("DROP").doesNotContain("--").doesNotContain("x'");
        assertThat(statement.params()).contains(evil);
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void theValueConditionsOfACountAreIntersectedBeforeAnyResourceIsRead() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "category", "urn:c|advice",
                "sent", "ge2026-01-01", "_lastUpdated", "ge2026-01-01", "recipient:missing", "true"));
        assertThat(statement.sql()).startsWith("SELECT COUNT(*) FROM (SELECT i.res_pk FROM idx_token i WHERE")
                .contains(" INTERSECT SELECT i.res_pk FROM idx_date i WHERE")
                .contains(") k JOIN res r ON r.pk = k.res_pk WHERE r.deleted = FALSE AND ")
                .doesNotContain("r.res_type")
                // conditions that are not sets of matching index rows stay conditions on each resource
                .contains("r.last_updated >= ").contains("NOT EXISTS (SELECT 1 FROM idx_reference i WHERE i.res_pk = r.pk")
                .doesNotContain("r.pk IN (");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void aCountWithOneValueConditionCountsEachResourceOnce() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "status", "completed,stopped"));
        assertThat(statement.sql()).startsWith("SELECT COUNT(*) FROM (SELECT DISTINCT i.res_pk FROM idx_token i")
                .doesNotContain("INTERSECT");
        assertPlaceholdersMatchParams(statement);
        assertThat(SearchSql.count(query("Communication", "_id", "c1")).sql())
                .startsWith("SELECT COUNT(*) FROM res r WHERE");
    }

    @Test
    void tokenSystemAndCode() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "identifier", "urn:sys|v1"));
        assertThat(statement.sql()).doesNotContain("urn:sys").doesNotContain("v1");
        assertThat(boundAt(statement, "i.code = ")).isEqualTo("v1");
        assertThat(boundAt(statement, "i.sys = ")).isEqualTo("urn:sys");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void tokenWithoutSystemRequiresNullSystem() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "identifier", "|v1"));
        assertThat(statement.sql()).contains("i.sys IS NULL");
        assertThat(boundAt(statement, "i.code = ")).isEqualTo("v1");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void tokenSystemOnlyDoesNotConstrainTheCode() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "identifier", "urn:sys|"));
        assertThat(statement.sql()).doesNotContain("i.code");
        assertThat(boundAt(statement, "i.sys = ")).isEqualTo("urn:sys");
    }

    @Test
    void orValuesAreAlternativesInOneSubquery() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "status", "completed,stopped"));
        assertThat(statement.sql()).contains(" OR ");
        assertThat(statement.sql().split("FROM idx_token", -1)).hasSize(2);
        assertThat(statement.params()).contains("completed", "stopped");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void repeatedParametersAreSeparateSubqueries() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "category", "a", "category", "b"));
        assertThat(statement.sql().split("FROM idx_token", -1)).hasSize(3);
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void exactStringIsNotFolded() {
        SearchSql.Statement statement = SearchSql.count(query("Patient", "name:exact", "José"));
        assertThat(statement.sql()).doesNotContain("José").doesNotContain("LIKE");
        assertThat(boundAt(statement, "i.value_exact = ")).isEqualTo("José");
    }

    @Test
    void containsEscapesLikeWildcards() {
        SearchSql.Statement statement = SearchSql.count(query("Patient", "name:contains", "50%_Off"));
        assertThat(boundAt(statement, "i.value_norm LIKE ")).isEqualTo("%50\\%\\_off%");
        assertThat(statement.sql()).contains("ESCAPE '\\'").doesNotContain("50");
    }

    @Test
    void referenceByTypeAndId() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "subject", "Patient/p1"));
        assertThat(statement.sql()).contains("FROM idx_reference i").doesNotContain("p1").doesNotContain("Patient");
        assertThat(boundAt(statement, "i.target_id = ")).isEqualTo("p1");
        assertThat(boundAt(statement, "i.target_type = ")).isEqualTo("Patient");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void referenceByUrl() {
        String url = "http://other.example.org/fhir/Patient/p1";
        SearchSql.Statement statement = SearchSql.count(query("Communication", "subject", url));
        assertThat(statement.sql()).doesNotContain("other.example");
        assertThat(boundAt(statement, "i.target_url = ")).isEqualTo(url);
    }

    @Test
    void dateEqualityBindsBothBoundsOfTheSearchedSpan() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "sent", "2024-03"));
        assertThat(statement.sql()).contains("FROM idx_date i").doesNotContain("2024");
        assertThat(boundAt(statement, "i.low_ts >= ")).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(boundAt(statement, "i.high_ts <= ")).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void datePrefixes() {
        assertThat(boundAt(SearchSql.count(query("Communication", "sent", "gt2024")), "i.high_ts > "))
                .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(boundAt(SearchSql.count(query("Communication", "sent", "lt2024")), "i.low_ts < "))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(boundAt(SearchSql.count(query("Communication", "sent", "sa2024")), "i.low_ts >= "))
                .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(boundAt(SearchSql.count(query("Communication", "sent", "eb2024")), "i.high_ts <= "))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(SearchSql.count(query("Communication", "sent", "ne2024")).sql()).contains("NOT (i.low_ts >= ");
    }

    @Test
    void lastUpdatedUsesTheResourceColumn() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "_lastUpdated", "ge2024-01-01"));
        assertThat(statement.sql()).doesNotContain("idx_date");
        assertThat(boundAt(statement, "r.last_updated >= ")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void idsAreBound() {
        SearchSql.Statement statement = SearchSql.count(query("Patient", "_id", "p1,p2"));
        assertThat(statement.sql()).containsPattern("r\\.res_id IN \\(\\?\\d+, \\?\\d+\\)")
                .doesNotContain("p1").doesNotContain("p2");
        assertThat(statement.params()).contains("p1", "p2");
        SearchSql.Statement negated = SearchSql.count(query("Patient", "_id:not", "p1"));
        assertThat(negated.sql()).contains("r.res_id NOT IN (");
    }

    @Test
    void missingTrueMeansNoIndexRow() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "sent:missing", "true"));
        assertThat(statement.sql()).contains("NOT EXISTS (SELECT 1 FROM idx_date i");
        assertThat(boundAt(statement, "i.param = ")).isEqualTo("sent");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void missingFalseMeansSomeIndexRow() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "sent:missing", "false"));
        assertThat(statement.sql()).contains("EXISTS (SELECT 1 FROM idx_date i").doesNotContain("NOT EXISTS");
    }

    @Test
    void notModifierExcludesMatchingRows() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "status", "completed",
                "category:not", "x"));
        assertThat(statement.sql()).contains("NOT EXISTS (SELECT 1 FROM idx_token i");
        assertThat(statement.params()).contains("x", "category");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void descendingSortIsDescNullsLast() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "_sort", "-sent"));
        assertThat(statement.sql()).startsWith("SELECT p.pk, r.content, p.s0 FROM (SELECT r.pk, (SELECT MAX(s.high_ts)"
                        + " FROM idx_date s")
                .contains(") AS s0 FROM res r WHERE ").contains(" ORDER BY s0 DESC NULLS LAST, r.pk ASC FETCH FIRST ?")
                .endsWith(" ORDER BY p.s0 DESC NULLS LAST, p.pk ASC");
        assertThat(boundAt(statement, "s.param = ")).isEqualTo("sent");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void ascendingSortUsesTheLowEnd() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "_sort", "sent"));
        assertThat(statement.sql()).contains("(SELECT MIN(s.low_ts) FROM idx_date s")
                .contains(" ORDER BY s0 ASC NULLS LAST, r.pk ASC FETCH")
                .endsWith(" ORDER BY p.s0 ASC NULLS LAST, p.pk ASC");
    }

    @Test
    void sortByResourceColumns() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Patient", "_sort", "-_lastUpdated,_id"));
        assertThat(statement.sql()).startsWith("SELECT p.pk, r.content, p.s0, p.s1 FROM (SELECT r.pk,"
                        + " r.last_updated AS s0, r.res_id AS s1 FROM res r")
                .endsWith(" ORDER BY p.s0 DESC NULLS LAST, p.s1 ASC NULLS LAST, p.pk ASC");
    }

    @Test
    void withoutSortTheOrderIsStable() {
        assertThat(SearchSql.selectPage(query("Patient")).sql()).contains(" ORDER BY r.pk ASC FETCH FIRST ")
                .endsWith(" ORDER BY p.pk ASC");
        assertThat(SearchSql.selectKeys(query("Patient")).sql()).endsWith(" ORDER BY r.pk");
    }

    @Test
    void sortedPageSeeksPastTheCursorRowKeyByKey() {
        Instant sent = Instant.parse("2026-11-01T09:00:00.5Z");
        PageCursor cursor = PageCursor.after(List.of(sent, "c7"), 42);
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "_sort", "-sent,_id",
                "_cursor", cursor.toString()));
        String sql = statement.sql();
        // descending first key: smaller or no value; then equal first key and larger id; then equal both, larger key
        assertThat(sql).contains("((SELECT MAX(s.high_ts) FROM idx_date s WHERE s.res_pk = r.pk AND s.param = ?")
                .contains(") < ?").contains(" IS NULL)")
                .contains("r.res_id > ?").contains("r.res_id = ?").contains("r.pk > ?");
        assertThat(statement.params()).contains(sent, "c7", 42L);
        assertThat(sql).doesNotContain("c7").doesNotContain("42");
        assertThat(sql).contains(" ORDER BY s0 DESC NULLS LAST, s1 ASC NULLS LAST, r.pk ASC FETCH FIRST ")
                .endsWith(" ORDER BY p.s0 DESC NULLS LAST, p.s1 ASC NULLS LAST, p.pk ASC");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void backwardPageFlipsComparisonsAndOrderIncludingNulls() {
        PageCursor cursor = PageCursor.before(List.of("c7"), 42);
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "_sort", "_id",
                "_cursor", cursor.toString()));
        assertThat(statement.sql()).contains("(r.res_id < ?").contains("r.pk < ?")
                .doesNotContain("IS NULL")
                .contains(" ORDER BY s0 DESC NULLS FIRST, r.pk DESC FETCH FIRST ")
                .endsWith(" ORDER BY p.s0 DESC NULLS FIRST, p.pk DESC");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void cursorRowWithoutASortValueOnlyHasNullsAfterIt() {
        PageCursor after = PageCursor.after(java.util.Arrays.asList((Object) null), 42);
        String forward = SearchSql.selectPage(query("Communication", "_sort", "sent", "_cursor", after.toString())).sql();
        // forward past a null: only rows that also have no value, with a larger key
        assertThat(forward).contains(") IS NULL AND r.pk > ?").doesNotContain(" < ?").doesNotContain("IS NOT NULL");
        String backward = SearchSql.selectPage(query("Communication", "_sort", "sent", "_cursor",
                after.reversed().toString())).sql();
        // backward from a null: every row that has a value, or no value and a smaller key
        assertThat(backward).contains(") IS NOT NULL)").contains(") IS NULL AND r.pk < ?");
    }

    @Test
    void countStatementHasNoOrder() {
        SearchSql.Statement statement = SearchSql.count(query("Communication", "status", "completed",
                "_sort", "-sent"));
        assertThat(statement.sql()).startsWith("SELECT COUNT(*) FROM ").doesNotContain("ORDER BY");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void everyPlaceholderIsBoundInAComplexQuery() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication",
                "status", "completed,in-progress", "subject", "Patient/p1", "sent", "ge2024-01-01",
                "category", "urn:sys|", "_id", "c1,c2", "_lastUpdated", "lt2025", "_sort", "-sent,_id"));
        assertPlaceholdersMatchParams(statement);
        assertThat(statement.params()).hasSize(20);
    }

    @Test
    void unsortedPagesStartAfterTheCursorKeyAsABoundParameter() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "status", "completed",
                "_cursor", "4711"));
        assertThat(statement.sql()).startsWith("SELECT p.pk, r.content FROM (SELECT r.pk FROM res r WHERE ")
                .contains("r.pk > ?").endsWith("ORDER BY p.pk ASC");
        assertThat(statement.params()).contains(4711L);
        assertThat(statement.sql()).doesNotContain("4711");
    }

    @Test
    void onlyThePageKeysFetchTheirContentAndTheLimitIsBound() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "category", "advice",
                "sent", "ge2026-03-01", "_count", "20"));
        String sql = statement.sql();
        String inner = sql.substring(sql.indexOf("FROM (") + "FROM (".length(), sql.indexOf(") p JOIN res r"));
        // the matches are found and cut to a page without their content; only those keys join it
        assertThat(inner).startsWith("SELECT r.pk FROM res r WHERE ").doesNotContain("content")
                .contains("r.pk ASC FETCH FIRST ?").endsWith(" ROWS ONLY");
        assertThat(sql).contains(") p JOIN res r ON r.pk = p.pk ORDER BY p.pk ASC");
        assertThat(boundAt(statement, "FETCH FIRST ")).isEqualTo(21);
        assertThat(sql).doesNotContain("21");
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void onH2AnUnsortedPageWalksTheTokenIndexInKeyOrderAndProbesTheOtherCriteria() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "category", "urn:cat|advice",
                "sent", "ge2026-03-01", "_count", "20"), SearchSql.Planner.EMBEDDED);
        String sql = statement.sql();
        assertThat(sql).startsWith("SELECT p.pk, r.content FROM (SELECT d.res_pk AS pk FROM idx_token d"
                + " JOIN res r ON r.pk = d.res_pk WHERE ")
                .contains(" ORDER BY d.res_type, d.param, d.code, d.sys, d.res_pk FETCH FIRST ?")
                .endsWith(") p JOIN res r ON r.pk = p.pk ORDER BY p.pk ASC");
        assertThat(boundAt(statement, "d.code = ")).isEqualTo("advice");
        assertThat(boundAt(statement, "d.sys = ")).isEqualTo("urn:cat");
        // the date is probed for each walked resource through its key, with no IN list of every match
        assertThat(sql).contains("EXISTS (SELECT 1 FROM idx_date i WHERE i.res_pk = r.pk AND i.param = ?")
                .doesNotContain(" IN (");
        assertThat(boundAt(statement, "i.high_ts > ")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(boundAt(statement, "FETCH FIRST ")).isEqualTo(21);
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void onH2AReferenceToOneResourceIsWalkedBeforeAToken() {
        SearchSql.Statement statement = SearchSql.selectPage(query("Communication", "category", "urn:cat|advice",
                "subject", "Patient/p1", "_cursor", "4711"), SearchSql.Planner.EMBEDDED);
        assertThat(statement.sql()).contains("FROM idx_reference d JOIN res r")
                .contains(" ORDER BY d.res_type, d.param, d.target_id, d.target_type, d.res_pk FETCH FIRST ")
                .contains("EXISTS (SELECT 1 FROM idx_token i WHERE i.res_pk = r.pk");
        assertThat(boundAt(statement, "d.target_id = ")).isEqualTo("p1");
        assertThat(boundAt(statement, "d.res_pk > ")).isEqualTo(4711L);
        assertPlaceholdersMatchParams(statement);
    }

    @Test
    void onH2WhatNoIndexReturnsInKeyOrderKeepsThePortablePage() {
        String portable = " FROM res r WHERE r.res_type = ?1 AND r.deleted = FALSE";
        // sorted; a code without its system; two alternatives; a reference by URL; a backward page
        assertThat(SearchSql.selectPage(query("Communication", "category", "urn:cat|advice", "_sort", "-sent"),
                SearchSql.Planner.EMBEDDED).sql()).contains(portable);
        assertThat(SearchSql.selectPage(query("Communication", "category", "advice"),
                SearchSql.Planner.EMBEDDED).sql()).contains(portable);
        assertThat(SearchSql.selectPage(query("Communication", "category", "urn:cat|advice,urn:cat|check-in"),
                SearchSql.Planner.EMBEDDED).sql()).contains(portable);
        assertThat(SearchSql.selectPage(query("Communication", "subject", "http://other.example/fhir/Patient/p1"),
                SearchSql.Planner.EMBEDDED).sql()).contains(portable);
        assertThat(SearchSql.selectPage(query("Communication", "category", "urn:cat|advice", "_cursor",
                PageCursor.before(List.of(), 42).toString()), SearchSql.Planner.EMBEDDED).sql()).contains(portable);
        // PostgreSQL plans the portable page from its statistics
        assertThat(SearchSql.selectPage(query("Communication", "category", "urn:cat|advice"),
                SearchSql.Planner.COST_BASED).sql()).contains(portable);
    }
}
