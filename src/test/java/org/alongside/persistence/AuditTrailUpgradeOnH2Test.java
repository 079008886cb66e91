package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A trail recorded before migration V13 holds each event's JSON; the upgrade adds the columns new events are stored
 * in and leaves the old events as they were, so that JpaAuditStore still reads them from their JSON.
 */
class AuditTrailUpgradeOnH2Test {

    private static final String URL = "jdbc:h2:mem:audit_upgrade_test;DB_CLOSE_DELAY=-1";

    @Test
    void eventsRecordedBeforeTheUpgradeKeepTheirJsonBesideEventsStoredAsColumns() throws Exception {
        Flyway.configure().dataSource(URL, "sa", "").locations(DatabaseMigrator.locations(false)).target("11").load()
                .migrate();
        try (Connection db = DriverManager.getConnection(URL, "sa", "")) {
            BoundStatements.execute(db, "INSERT INTO audit_event (seq, id, recorded, agent, subtype, outcome, request_id,"
                    + " content) VALUES (1, 'old', ?, NULL, ',read,', '0', 'r-1', ?)", Instant.parse("2026-11-01T00:00:00Z"),
                    "{\"resourceType\":\"AuditEvent\",\"id\":\"old\"}");
            Flyway.configure().dataSource(URL, "sa", "").locations(DatabaseMigrator.locations(false)).load().migrate();
            BoundStatements.execute(db, "INSERT INTO audit_event (seq, id, recorded, subtype, outcome, action, http_status,"
                    + " purpose, server_work, refs, patients) VALUES (2, 'new', ?, ',read,', '0', 'R', 200, 'TREAT',"
                    + " FALSE, 'Patient/p1', 'p1')", Instant.parse("2026-12-01T00:00:00Z"));
            try (Statement query = db.createStatement();
                 ResultSet rows = query.executeQuery("SELECT id, content, action, refs FROM audit_event ORDER BY seq")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("content")).contains("\"id\":\"old\"");
                assertThat(rows.getString("action")).isNull();
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("id")).isEqualTo("new");
                assertThat(rows.getString("content")).isNull();
                assertThat(rows.getString("refs")).isEqualTo("Patient/p1");
            }
        }
    }
}
