package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Searches right after a bulk load must not fall back to plans made without statistics: the machines these tests
 * run on keep autovacuum off, so fresh statistics after a load are the server's own doing (persistence.StatisticsKeeper).
 */
class StatisticsKeeperIT {

    @Test
    void aBulkLoadOnPostgresqlIsFollowedByFreshPlannerStatistics() throws Exception {
        String url = System.getProperty("alongside.it.pgUrl");
        Assumptions.assumeTrue(url != null, "PostgreSQL run only");
        Bundle load = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String system = FhirServer.uniqueSystem();
        for (int i = 0; i < 800; i++) {
            Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                    .setSubject(new Reference("Patient/statistics"));
            goal.getDescription().setText("loaded " + i);
            goal.addIdentifier().setSystem(system).setValue(Integer.toString(i));
            load.addEntry().setResource(goal).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        }
        FhirServer.client().transaction().withBundle(load).execute();
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
