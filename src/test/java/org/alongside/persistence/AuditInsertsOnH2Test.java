package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.alongside.audit.AuditRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Audit events written by {@link AuditInserts} on an in-memory H2 database migrated as the server's: the columns the
 * trail is read back from, one row per reference touched, and keys that keep the records' order, come fifty to a value
 * of the sequence and never meet the blocks of keys another instance took from it.
 */
class AuditInsertsOnH2Test {

    private static final String URL = "jdbc:h2:mem:audit_inserts_test;DB_CLOSE_DELAY=-1";
    private static final Instant AT = Instant.parse("2026-12-01T09:00:00.250Z");
    private static Connection connection;

    @BeforeAll
    static void migrate() throws Exception {
        Flyway.configure().dataSource(URL, "sa", "").locations(DatabaseMigrator.locations(false)).load().migrate();
        connection = DriverManager.getConnection(URL, "sa", "");
    }

    @Test
    void aReadIsStoredAsItsColumnsWithTheRecordItReleasedAndItsPatient() throws Exception {
        AuditRecord read = new AuditRecord("read-1", AT, "read", "R", 200, true, "TREAT",
                new AuditRecord.Agent("Practitioner/pr-1", "u-1", "ehr", List.of("clinician")), false, "10.0.0.9",
                null, "req-1", List.of("Communication/c1"), List.of("p1"));
        new AuditInserts(false).insert(connection, List.of(read));

        long key = single("SELECT seq FROM audit_event WHERE id = 'read-1'");
        try (Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT recorded, agent, subtype, outcome, request_id, action,"
                     + " http_status, purpose, agent_subject, agent_client, agent_roles, server_work, client_address,"
                     + " refs, patients, content FROM audit_event WHERE seq = " + key)) {
            assertThat(row.next()).isTrue();
            assertThat(row.getObject("recorded", java.time.OffsetDateTime.class).toInstant()).isEqualTo(AT);
            assertThat(row.getString("agent")).isEqualTo("Practitioner/pr-1");
            assertThat(row.getString("subtype")).isEqualTo(",read,disclosure,");
            assertThat(row.getString("outcome")).isEqualTo("0");
            assertThat(row.getString("request_id")).isEqualTo("req-1");
            assertThat(row.getString("action")).isEqualTo("R");
            assertThat(row.getInt("http_status")).isEqualTo(200);
            assertThat(row.getString("purpose")).isEqualTo("TREAT");
            assertThat(row.getString("agent_subject")).isEqualTo("u-1");
            assertThat(row.getString("agent_client")).isEqualTo("ehr");
            assertThat(row.getString("agent_roles")).isEqualTo("clinician");
            assertThat(row.getBoolean("server_work")).isFalse();
            assertThat(row.getString("client_address")).isEqualTo("10.0.0.9");
            assertThat(row.getString("refs")).isEqualTo("Communication/c1");
            assertThat(row.getString("patients")).isEqualTo("p1");
            assertThat(row.getString("content")).isNull();
        }
        assertThat(touched(key)).containsExactly("Communication/c1 false", "Patient/p1 true");
    }

    @Test
    void aPatientReadIsOneEntityRowMarkedAsThePatient() throws Exception {
        AuditRecord read = new AuditRecord("read-2", AT, "read", "R", 200, true, "TREAT", null, true, null, null,
                "req-2", List.of("Patient/p2"), List.of("p2"));
        new AuditInserts(false).insert(connection, List.of(read));

        assertThat(touched(single("SELECT seq FROM audit_event WHERE id = 'read-2'"))).containsExactly("Patient/p2 true");
    }

    @Test
    void eventsWrittenTogetherKeepTheirOrderAndLaterOnesComeAfter() throws Exception {
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(new AuditRecord("batch-" + i, AT, "search-type", "R", 200, false, "TREAT", null, false, null,
                    "subject=Patient/p3", "req-b", List.of("Communication/b" + i), List.of("p3")));
        }
        new AuditInserts(false).insert(connection, batch);
        new AuditInserts(false).insert(connection, List.of(new AuditRecord("after", AT, "read", "R", 404, false,
                "TREAT", null, false, null, null, "req-a", List.of("Communication/gone"), List.of())));

        List<String> byKey = new ArrayList<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT id FROM audit_event WHERE id LIKE 'batch-%' OR id = 'after'"
                     + " ORDER BY seq")) {
            while (rows.next()) {
                byKey.add(rows.getString(1));
            }
        }
        assertThat(byKey).containsExactly("batch-0", "batch-1", "batch-2", "batch-3", "batch-4", "after");
    }

    @Test
    void aBlockOfKeysDrawnHereNeverMeetsTheBlockAnotherInstanceDrew() throws Exception {
        // an older server, through Hibernate's pooled optimizer, used each value v it drew as the keys v-49..v
        long drawnElsewhere = single("SELECT NEXT VALUE FOR audit_seq");
        new AuditInserts(false).insert(connection, List.of(new AuditRecord("beside-a-block", AT, "read", "R", 200,
                false, "TREAT", null, false, null, null, "req-k", List.of(), List.of())));

        assertThat(single("SELECT seq FROM audit_event WHERE id = 'beside-a-block'")).isGreaterThan(drawnElsewhere);
    }

    @Test
    void fiftyEventsTakeOneValueOfTheSequence() throws Exception {
        long before = single("SELECT NEXT VALUE FOR audit_seq");
        AuditInserts inserts = new AuditInserts(false);
        for (int i = 0; i < AuditInserts.BLOCK; i++) {
            inserts.insert(connection, List.of(new AuditRecord("one-of-fifty-" + i, AT, "read", "R", 200, false,
                    "TREAT", null, false, null, null, "req-f", List.of(), List.of())));
        }

        assertThat(single("SELECT NEXT VALUE FOR audit_seq")).isEqualTo(before + 2 * AuditInserts.BLOCK);
        assertThat(single("SELECT COUNT(DISTINCT seq) FROM audit_event WHERE id LIKE 'one-of-fifty-%'"))
                .isEqualTo(AuditInserts.BLOCK);
    }

    private static long single(String sql) throws Exception {
        try (Statement query = connection.createStatement(); ResultSet row = query.executeQuery(sql)) {
            assertThat(row.next()).isTrue();
            return row.getLong(1);
        }
    }

    private static List<String> touched(long eventKey) throws Exception {
        List<String> references = new ArrayList<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT reference, is_patient FROM audit_entity WHERE audit_seq = "
                     + eventKey + " ORDER BY pk")) {
            while (rows.next()) {
                references.add(rows.getString(1) + " " + rows.getBoolean(2));
            }
        }
        return references;
    }
}
