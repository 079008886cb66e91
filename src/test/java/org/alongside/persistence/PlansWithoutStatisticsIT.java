package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A freshly loaded PostgreSQL store with autovacuum off has no planner statistics until the statistics keeper's first
 * round (or at all, with the keeper off). The statements the server sends must then still touch rows in proportion
 * to their matches. The tables here are temporary copies of the migrated schema's (its columns and indexes, none of
 * its rows), which PostgreSQL never analyses by itself: the plan is the one made without statistics.
 */
class PlansWithoutStatisticsIT {

    private static final String CATEGORY = "http://alongside.example/CodeSystem/message-category";
    private static final int MESSAGES = 400;

    /**
     * The count behind Bundle.total of category + sent=ge. Without statistics PostgreSQL takes every condition to
     * match one row; as IN subqueries it then read the rows of one condition again for every match of the other (for
     * these 400 messages, some 35,000 index rows; on 3,300 benchmark messages 400,000 rows and 5.4 s). As sets
     * intersected before any resource is read, each index row is read once, and each match's resource once.
     */
    @Test
    void aCountWithoutStatisticsReadsIndexRowsInProportionToItsMatches() throws Exception {
        String url = System.getProperty("alongside.it.pgUrl");
        Assumptions.assumeTrue(url != null, "PostgreSQL run only");
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            db.setAutoCommit(false);
            try (Statement ddl = db.createStatement()) {
                for (String table : List.of("res", "idx_token", "idx_date")) {
                    ddl.execute("CREATE TEMPORARY TABLE " + table + " (LIKE " + table + " INCLUDING ALL)"
                            + " ON COMMIT DROP");
                }
                // message g: category g % 4 (advice when 0), sent g hours after 2026-01-01
                ddl.execute("INSERT INTO res (pk, res_type, res_id, version_id, last_updated, deleted, content)"
                        + " SELECT g, 'Communication', 'c' || g, 1, now(), FALSE, '{}' FROM generate_series(1, "
                        + MESSAGES + ") g");
                ddl.execute("INSERT INTO idx_token (pk, res_pk, res_type, param, sys, code) SELECT g, g,"
                        + " 'Communication', 'category', '" + CATEGORY + "', (ARRAY['advice', 'check-in',"
                        + " 'encouragement', 'goal-update'])[1 + g % 4] FROM generate_series(1, " + MESSAGES + ") g");
                ddl.execute("INSERT INTO idx_date (pk, res_pk, res_type, param, low_ts, high_ts) SELECT g, g,"
                        + " 'Communication', 'sent', TIMESTAMPTZ '2026-01-01' + g * INTERVAL '1 hour',"
                        + " TIMESTAMPTZ '2026-01-01' + g * INTERVAL '1 hour' + INTERVAL '1 second'"
                        + " FROM generate_series(1, " + MESSAGES + ") g");
            }
            SearchQuery query = new SearchRequestParser(SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                    List.of("Communication")), 20, 100).parse("Communication", Map.of("category",
                    List.of(CATEGORY + "|advice"), "sent", List.of("ge2026-01-09T08:00:00Z")), "http://x/fhir", false);
            SearchSql.Statement count = SearchSql.count(query);

            try (PreparedStatement counted = BoundStatements.prepareNumbered(db, count.sql(), count.params());
                 ResultSet rs = counted.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("advice messages sent from hour 200 on (200, 204 ... 400)").isEqualTo(51);
            }
            JsonNode plan;
            try (PreparedStatement explain = BoundStatements.prepareNumbered(db,
                    "EXPLAIN (ANALYZE, FORMAT JSON) " + count.sql(), count.params());
                 ResultSet rs = explain.executeQuery()) {
                rs.next();
                plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
            }
            assertThat(rowsRead(plan)).as("rows the count read, for 100 advice and 201 late messages:\n"
                    + plan.toPrettyString()).isLessThan(4 * MESSAGES);
            db.rollback();
        }
    }

    /**
     * A plan made once for any values of a statement's parameters is a plan made without knowing them: for category
     * + sent=ge PostgreSQL's generic plan read every message of the category, where the plan for the values stopped
     * at the page. The driver prepares a statement on the server after five runs, and PostgreSQL may then switch it to
     * such a plan; the shipped data source's options forbid that. Here the page statement runs ten times over a
     * connection with those options, and the server made a plan for its values every time.
     */
    @Test
    void theShippedDataSourceHasEveryStatementPlannedWithItsValues() throws Exception {
        String url = System.getProperty("alongside.it.pgUrl");
        Assumptions.assumeTrue(url != null, "PostgreSQL run only");
        Matcher shipped = Pattern.compile("<properties URL=[^>]*options=\"([^\"]+)\"")
                .matcher(Files.readString(Path.of("liberty/config/server.xml")));
        assertThat(shipped.find()).as("options of the data source in server.xml").isTrue();
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("options", shipped.group(1));
        SearchQuery query = new SearchRequestParser(SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                List.of("Communication")), 20, 100).parse("Communication", Map.of("category",
                List.of(CATEGORY + "|advice"), "sent", List.of("ge2026-01-09")), "http://x/fhir", false);
        SearchSql.Statement page = SearchSql.selectPage(query);
        try (Connection db = DriverManager.getConnection(url, properties);
             PreparedStatement statement = BoundStatements.prepareNumbered(db, page.sql(), page.params())) {
            for (int run = 0; run < 10; run++) {
                statement.executeQuery().close();
            }
            try (Statement plans = db.createStatement();
                 ResultSet rs = plans.executeQuery("SELECT current_setting('plan_cache_mode'),"
                         + " COALESCE(SUM(generic_plans), 0), COALESCE(SUM(custom_plans), 0) FROM pg_prepared_statements")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("force_custom_plan");
                assertThat(rs.getLong(2)).as("plans made for any values").isZero();
                assertThat(rs.getLong(3)).as("plans made for the values, once the statement was kept on the server")
                        .isGreaterThanOrEqualTo(5);
            }
        }
    }

    /** Rows the plan's scans of resources and index tables produced or filtered away, over all their loops. */
    private static long rowsRead(JsonNode node) {
        long rows = 0;
        String table = node.path("Relation Name").asText("");
        if (table.equals("res") || table.startsWith("idx_")) {
            rows += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong())
                    * node.path("Actual Loops").asLong();
        }
        for (JsonNode child : node.path("Plans")) {
            rows += rowsRead(child);
        }
        return rows;
    }
}
