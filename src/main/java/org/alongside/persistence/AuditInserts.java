package org.alongside.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.audit.AuditRecord;
import org.alongside.persistence.audit.AuditEventRow;

/**
 * Writes audit events as three statements whatever their number: one that draws their keys from {@code audit_seq},
 * one batch of event rows and one batch of the references they touched. Why not Hibernate's entities: the events are
 * only ever inserted, and persisting them as entities (a persistence-context entry, a flush and an insert action per
 * row, five rows for a read) cost more than the read they recorded. The column values are still those of
 * {@link JpaAuditStore#row}, through which the trail is read back.
 *
 * <p>Keys: every event takes one value of {@code audit_seq} and every reference one of {@code audit_entity_seq}, as
 * its key. The sequences step by 50 because Hibernate, which stored the events before, used each value it drew as
 * the top of a block of 50 keys; such a block never reaches down to a value drawn by anyone else, so events an older
 * instance of the server writes during a rolling upgrade cannot collide with these.
 */
final class AuditInserts {

    private static final String EVENT_COLUMNS = "seq, id, recorded, agent, subtype, outcome, request_id, action,"
            + " http_status, purpose, agent_subject, agent_client, agent_roles, server_work, client_address, query, refs,"
            + " patients";

    private final String nextKeys;
    private final String insertEntity;

    /** The statements in the dialect of the store's database (sequences are written differently). */
    AuditInserts(boolean postgres) {
        nextKeys = postgres ? "SELECT nextval('audit_seq') FROM generate_series(1, ?)"
                : "SELECT NEXT VALUE FOR audit_seq FROM SYSTEM_RANGE(1, ?)";
        insertEntity = "INSERT INTO audit_entity (pk, audit_seq, reference, is_patient) VALUES ("
                + (postgres ? "nextval('audit_entity_seq')" : "NEXT VALUE FOR audit_entity_seq") + ", ?, ?, ?)";
    }

    /** Inserts the records in the connection's transaction; the caller commits. */
    void insert(Connection connection, List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        long[] keys = nextKeys(connection, records.size());
        try (PreparedStatement events = connection.prepareStatement(
                     "INSERT INTO audit_event (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                             + " ?, ?, ?, ?)");
             PreparedStatement entities = connection.prepareStatement(insertEntity)) {
            for (int i = 0; i < records.size(); i++) {
                bindEvent(events, keys[i], JpaAuditStore.row(records.get(i)));
                events.addBatch();
                for (Map.Entry<String, Boolean> touched : touched(records.get(i)).entrySet()) {
                    entities.setLong(1, keys[i]);
                    entities.setString(2, JpaAuditStore.truncate(touched.getKey()));
                    entities.setBoolean(3, touched.getValue());
                    entities.addBatch();
                }
            }
            events.executeBatch();
            entities.executeBatch(); // after the events: each row refers to its event
        }
    }

    /** Every reference the event touched, each once, and whether it is one of its patients. */
    static Map<String, Boolean> touched(AuditRecord record) {
        Map<String, Boolean> touched = new LinkedHashMap<>();
        record.references().forEach(reference -> touched.put(reference, false));
        record.patients().forEach(patient -> touched.put("Patient/" + patient, true));
        return touched;
    }

    private long[] nextKeys(Connection connection, int count) throws SQLException {
        long[] keys = new long[count];
        try (PreparedStatement select = connection.prepareStatement(nextKeys)) {
            select.setInt(1, count);
            try (ResultSet rows = select.executeQuery()) {
                for (int i = 0; i < count; i++) {
                    if (!rows.next()) {
                        throw new SQLException("The audit sequence gave " + i + " keys where " + count + " were asked for");
                    }
                    keys[i] = rows.getLong(1);
                }
            }
        }
        Arrays.sort(keys); // the trail pages newest first by key: the records' order is kept
        return keys;
    }

    private static void bindEvent(PreparedStatement insert, long key, AuditEventRow row) throws SQLException {
        insert.setLong(1, key);
        insert.setString(2, row.getId());
        insert.setObject(3, OffsetDateTime.ofInstant(row.getRecorded(), ZoneOffset.UTC));
        insert.setString(4, row.getAgent());
        insert.setString(5, row.getSubtype());
        insert.setString(6, row.getOutcome());
        insert.setString(7, row.getRequestId());
        insert.setString(8, row.getAction());
        insert.setInt(9, row.getHttpStatus());
        insert.setString(10, row.getPurpose());
        insert.setString(11, row.getAgentSubject());
        insert.setString(12, row.getAgentClient());
        insert.setString(13, row.getAgentRoles());
        insert.setBoolean(14, row.isServerWork());
        insert.setString(15, row.getClientAddress());
        insert.setString(16, row.getQuery());
        insert.setString(17, row.getReferences());
        insert.setString(18, row.getPatients());
    }
}
