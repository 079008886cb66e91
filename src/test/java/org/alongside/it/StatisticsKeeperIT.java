package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Searches right after a bulk load must not fall back to plans made without statistics: the machines these tests
 * run on keep autovacuum off, so fresh statistics after a load are the server's own doing (persistence.StatisticsKeeper);
 * and those statistics must describe the index tables' columns together, as their conditions use them.
 */
class StatisticsKeeperIT {

    @Test
    void aBulkLoadOnPostgresqlIsFollowedByFreshPlannerStatistics() throws Exception {
        String url = System.getProperty("alongside.it.pgUrl");
        Assumptions.assumeTrue(url != null, "PostgreSQL run only");
        loadActiveGoals(800);
        Instant loaded = Instant.now();

        Instant analysed = null;
        long giveUp = System.currentTimeMillis() + 90_000;
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            while (System.currentTimeMillis() < giveUp) {
                analysed = lastAnalysed(db, "res_version");
                if (analysed != null && analysed.isAfter(loaded.minusSeconds(1))) {
                    break;
                }
                Thread.sleep(1000);
            }
        }
        assertThat(analysed).as("when res_version was last analysed").isNotNull().isAfter(loaded.minusSeconds(1));
    }

    /**
     * A token condition fixes four columns of idx_token at once. Taken as independent, their selectivities multiply
     * and PostgreSQL expects a handful of rows where there are thousands (a peer's caseload started its plan from the
     * wrong condition). Migration V12 gives it statistics over the columns together: the estimate is the count.
     */
    @Test
    void theTokenIndexIsEstimatedFromItsColumnsTogether() throws Exception {
        String url = System.getProperty("alongside.it.pgUrl");
        Assumptions.assumeTrue(url != null, "PostgreSQL run only");
        loadActiveGoals(600);
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            try (Statement analyse = db.createStatement()) {
                analyse.execute("ANALYZE idx_token");
            }
            String condition = "res_type = 'Goal' AND param = 'lifecycle-status' AND code = 'active'"
                    + " AND sys = 'http://hl7.org/fhir/goal-status'";
            long actual;
            try (Statement count = db.createStatement();
                 ResultSet rs = count.executeQuery("SELECT COUNT(*) FROM idx_token WHERE " + condition)) {
                rs.next();
                actual = rs.getLong(1);
            }
            assertThat(estimatedRows(db, "SELECT res_pk FROM idx_token WHERE " + condition))
                    .as("estimated rows for " + actual + " active Goals").isGreaterThan(actual / 2);
        }
    }

    /** A bulk load, as an EHR's migration sends it: one transaction Bundle. */
    private static void loadActiveGoals(int count) {
        Bundle load = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String system = FhirServer.uniqueSystem();
        for (int i = 0; i < count; i++) {
            Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                    .setSubject(new Reference("Patient/statistics"));
            goal.getDescription().setText("loaded " + i);
            goal.addIdentifier().setSystem(system).setValue(Integer.toString(i));
            load.addEntry().setResource(goal).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        }
        FhirServer.client().transaction().withBundle(load).execute();
    }

    private static long estimatedRows(Connection db, String query) throws Exception {
        try (Statement explain = db.createStatement();
             ResultSet rs = explain.executeQuery("EXPLAIN (FORMAT JSON) " + query)) {
            rs.next();
            return new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan").get("Plan Rows").asLong();
        }
    }

    /** The later of the last manual (the server's) and automatic analysis, in the database's clock. */
    private static Instant lastAnalysed(Connection db, String table) throws Exception {
        try (PreparedStatement q = db.prepareStatement("SELECT GREATEST(last_analyze, last_autoanalyze) FROM"
                + " pg_stat_user_tables WHERE schemaname = current_schema() AND relname = ?")) {
            q.setString(1, table);
            try (ResultSet rs = q.executeQuery()) {
                Timestamp at = rs.next() ? rs.getTimestamp(1) : null;
                return at == null ? null : at.toInstant();
            }
        }
    }
}
