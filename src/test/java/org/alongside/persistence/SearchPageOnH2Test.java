package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.search.PageCursor;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.SearchPage;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page statement of {@link SearchSql} run on an in-memory H2 database migrated as the server's (every migration,
 * so they must run on H2): the page's keys are found first and their content joined afterwards, and the page must
 * still come back whole, in order, limited to its size and with the content of its own rows.
 */
class SearchPageOnH2Test {

    private static final String URL = "jdbc:h2:mem:search_page_test;DB_CLOSE_DELAY=-1";
    /** key -> sent, in an order unlike the keys'; key 5 has no sent date, key 6 is deleted. */
    private static final Map<Long, String> SENT = new LinkedHashMap<>();
    private static final String CATEGORY = "http://alongside.example/CodeSystem/message-category";
    private static SearchRequestParser parser;
    private static Connection connection;

    static {
        SENT.put(1L, "2026-03-04T10:00:00Z");
        SENT.put(2L, "2026-03-01T10:00:00Z");
        SENT.put(3L, "2026-03-05T10:00:00Z");
        SENT.put(4L, "2026-03-02T10:00:00Z");
        SENT.put(5L, null);
        SENT.put(6L, "2026-03-06T10:00:00Z");
    }

    @BeforeAll
    static void migrateAndLoad() throws Exception {
        parser = new SearchRequestParser(SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                List.of("Communication")), 20, 100);
        Flyway.configure().dataSource(URL, "sa", "").locations(DatabaseMigrator.locations(false)).load().migrate();
        connection = DriverManager.getConnection(URL, "sa", "");
        long indexKey = 1;
        for (Map.Entry<Long, String> message : SENT.entrySet()) {
            long key = message.getKey();
            execute("INSERT INTO res (pk, res_type, res_id, version_id, last_updated, deleted, content)"
                    + " VALUES (?, 'Communication', ?, 1, ?, ?, ?)", key, "c" + key,
                    Instant.parse("2026-04-01T00:00:00Z"), key == 6,
                    key == 6 ? null : "{\"resourceType\":\"Communication\",\"id\":\"c" + key + "\"}");
            // every message is advice but c2, a check-in; the deleted c6 keeps its index row here
            execute("INSERT INTO idx_token (pk, res_pk, res_type, param, sys, code)"
                    + " VALUES (?, ?, 'Communication', 'category', ?, ?)", key, key, CATEGORY,
                    key == 2 ? "check-in" : "advice");
            if (message.getValue() != null) {
                Instant sent = Instant.parse(message.getValue());
                execute("INSERT INTO idx_date (pk, res_pk, res_type, param, low_ts, high_ts)"
                        + " VALUES (?, ?, 'Communication', 'sent', ?, ?)", indexKey++, key, sent, sent.plusSeconds(1));
            }
        }
        // another type's row with the same category, which no Communication search may return
        execute("INSERT INTO res (pk, res_type, res_id, version_id, last_updated, deleted, content)"
                + " VALUES (7, 'Encounter', 'e7', 1, ?, FALSE, '{\"resourceType\":\"Encounter\",\"id\":\"e7\"}')",
                Instant.parse("2026-04-01T00:00:00Z"));
        execute("INSERT INTO idx_token (pk, res_pk, res_type, param, sys, code)"
                + " VALUES (7, 7, 'Encounter', 'category', ?, 'advice')", CATEGORY);
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
    }

    private static void execute(String sql, Object... values) throws Exception {
        BoundStatements.execute(connection, sql, values);
    }

    private static SearchPage page(String... nameValues) throws Exception {
        return page(SearchSql.Planner.COST_BASED, nameValues);
    }

    /** A Communication search of the parameters given as name, value, name, value... */
    private static SearchQuery query(String... nameValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        return parser.parse("Communication", params, "http://localhost/fhir", false);
    }

    private static SearchPage page(SearchSql.Planner planner, String... nameValues) throws Exception {
        SearchQuery query = query(nameValues);
        SearchSql.Statement page = SearchSql.selectPage(query, planner);
        List<Object[]> rows = new ArrayList<>();
        // H2 takes the statement's ?1, ?2... as they are, as Hibernate hands them over
        try (PreparedStatement statement = BoundStatements.prepare(connection, page.sql(), page.params())) {
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = result.getObject(c + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return KeysetPage.of(query, rows, null, content -> FhirContext.forR4Cached().newJsonParser()
                .parseResource(Communication.class, content.toString()));
    }

    private static int count(String... nameValues) throws Exception {
        SearchSql.Statement count = SearchSql.count(query(nameValues));
        try (PreparedStatement statement = BoundStatements.prepare(connection, count.sql(), count.params());
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    private static List<String> ids(SearchPage page) {
        return page.resources().stream().map(resource -> resource.getIdElement().getIdPart()).toList();
    }

    @Test
    void aSortedPageComesBackInItsOrderWithTheContentOfItsOwnRows() throws Exception {
        SearchPage first = page("_sort", "-sent", "_count", "2");
        assertThat(ids(first)).containsExactly("c3", "c1");
        SearchPage second = page("_sort", "-sent", "_count", "2", "_cursor", first.next().toString());
        assertThat(ids(second)).containsExactly("c4", "c2");
        SearchPage last = page("_sort", "-sent", "_count", "2", "_cursor", second.next().toString());
        assertThat(ids(last)).containsExactly("c5");
        assertThat(last.next()).isNull();
    }

    @Test
    void aBackwardPageIsTurnedBackIntoThePageOrder() throws Exception {
        SearchPage second = page("_sort", "-sent", "_count", "2", "_cursor",
                page("_sort", "-sent", "_count", "2").next().toString());
        PageCursor previous = second.previous();
        assertThat(ids(page("_sort", "-sent", "_count", "2", "_cursor", previous.toString())))
                .containsExactly("c3", "c1");
    }

    @Test
    void anUnsortedPageFollowsTheKeysAndSkipsDeletedResources() throws Exception {
        SearchPage first = page("_count", "4");
        assertThat(ids(first)).containsExactly("c1", "c2", "c3", "c4");
        assertThat(ids(page("_count", "4", "_cursor", first.next().toString()))).containsExactly("c5");
    }

    @Test
    void aFilteredPageHoldsOnlyMatchesUpToItsSize() throws Exception {
        SearchPage page = page("sent", "ge2026-03-02", "_sort", "sent", "_count", "2");
        assertThat(ids(page)).containsExactly("c4", "c1");
        assertThat(page.next()).isNotNull();
    }

    /**
     * The count intersects the sets of resources the value conditions match (SearchSql.count): it must count what
     * the pages hold, without the deleted c6 (whose index row this data set keeps) and without the Encounter of the
     * same category.
     */
    @Test
    void theCountOfIntersectedSetsIsWhatThePagesHold() throws Exception {
        String advice = CATEGORY + "|advice";
        List<String[]> searches = List.of(new String[] {"category", advice},
                new String[] {"category", advice, "sent", "ge2026-03-02"},
                new String[] {"category", advice + "," + CATEGORY + "|check-in", "sent", "ge2026-03-01"},
                new String[] {"category", advice, "category", CATEGORY + "|check-in"},
                new String[] {"category", advice, "sent:missing", "true"},
                new String[] {"category", advice, "_id", "c1,c2,c3"},
                new String[] {"sent", "lt2026-03-05"},
                new String[] {});
        List<Integer> expected = List.of(4, 3, 4, 0, 1, 2, 3, 5);
        for (int i = 0; i < searches.size(); i++) {
            String[] search = searches.get(i);
            String[] unpaged = java.util.Arrays.copyOf(search, search.length + 2);
            unpaged[search.length] = "_count";
            unpaged[search.length + 1] = "100";
            assertThat(count(search)).as(String.join(" ", search)).isEqualTo(expected.get(i))
                    .isEqualTo(page(unpaged).resources().size());
        }
    }

    @Test
    void onH2APageWalkedAlongOneIndexHoldsWhatThePortablePageHolds() throws Exception {
        String advice = CATEGORY + "|advice";
        assertThat(everyPage(SearchSql.Planner.EMBEDDED, "category", advice)).containsExactly("c1", "c3", "c4", "c5");
        assertThat(everyPage(SearchSql.Planner.EMBEDDED, "category", advice, "sent", "ge2026-03-02"))
                .containsExactly("c1", "c3", "c4")
                .isEqualTo(everyPage(SearchSql.Planner.COST_BASED, "category", advice, "sent", "ge2026-03-02"));
        assertThat(everyPage(SearchSql.Planner.EMBEDDED, "category", advice, "sent:missing", "true"))
                .containsExactly("c5");
    }

    /** Every page of two, followed by its next link, as a client pages. */
    private static List<String> everyPage(SearchSql.Planner planner, String... nameValues) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> request = new ArrayList<>(List.of(nameValues));
        request.addAll(List.of("_count", "2"));
        SearchPage page = page(planner, request.toArray(String[]::new));
        ids.addAll(ids(page));
        while (page.next() != null) {
            List<String> next = new ArrayList<>(request);
            next.addAll(List.of("_cursor", page.next().toString()));
            page = page(planner, next.toArray(String[]::new));
            ids.addAll(ids(page));
        }
        return ids;
    }

    @Test
    void onH2TheWalkedPageReadsTheIndexInOrderInsteadOfSortingEveryMatch() throws Exception {
        SearchQuery query = parser.parse("Communication", Map.of("category", List.of(CATEGORY + "|advice"),
                "sent", List.of("ge2026-03-02"), "_count", List.of("2")), "http://localhost/fhir", false);
        SearchSql.Statement page = SearchSql.selectPage(query, SearchSql.Planner.EMBEDDED);
        assertThat(BoundStatements.plan(connection, page.sql(), page.params()))
                .contains("/* index sorted */").contains("IX_TOKEN_VALUE");
    }
}
