package org.alongside.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.audit.AuditRecord;
import org.alongside.persistence.audit.AuditEventRow;

/**
 * Writes audit events as two JDBC batches whatever their number: one of event rows and one of the references they
 * touched. Why not Hibernate's entities: the events are only ever inserted, and persisting them as entities (a
 * persistence-context entry, a flush and an insert action per row, five rows for a read) cost more than the read they
 * recorded. The column values are still those of {@link JpaAuditStore#row}, through which the trail is read back.
 *
 * <p>Keys: an event's key comes from a block of 50 below a value drawn from {@code audit_seq} (which steps by 50),
 * as Hibernate's pooled optimizer took them when it stored the events: one draw for fifty events, and blocks that
 * never meet, whichever instance of the server (of this version or an older one) drew them. A reference's key is
 * drawn in its insert ({@code audit_entity_seq}, a value of its own).
 */
final class AuditInserts {

    private static final String INSERT_EVENT = "INSERT INTO audit_event (seq, id, recorded, agent, subtype, outcome,"
            + " request_id, action, http_status, purpose, agent_subject, agent_client, agent_roles, server_work,"
            + " client_address, query, refs, patients) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The step of {@code audit_seq}: the size of the block of keys below each value drawn (migration V5). */
    static final int BLOCK = 50;

    private final String drawKey;
    private final String insertEntity;
    /** The next key of the current block, and its last; a new block is drawn when they cross. */
    private long nextKey = 1;
    private long lastKey = 0;

    /** The statements in the dialect of the store's database (sequences are written differently). */
    AuditInserts(boolean postgres) {
        drawKey = postgres ? "SELECT nextval('audit_seq')" : "SELECT NEXT VALUE FOR audit_seq";
        insertEntity = "INSERT INTO audit_entity (pk, audit_seq, reference, is_patient) VALUES ("
                + (postgres ? "nextval('audit_entity_seq')" : "NEXT VALUE FOR audit_entity_seq") + ", ?, ?, ?)";
    }

    /** Inserts the records in the connection's transaction; the caller commits. */
    void insert(Connection connection, List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        long[] keys = nextKeys(connection, records.size());
        try (PreparedStatement events = connection.prepareStatement(INSERT_EVENT);
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
    private static Map<String, Boolean> touched(AuditRecord record) {
        Map<String, Boolean> touched = new LinkedHashMap<>();
        record.references().forEach(reference -> touched.put(reference, false));
        record.patients().forEach(patient -> touched.put("Patient/" + patient, true));
        return touched;
    }

    /** Keys for the events, in order; draws a block from the sequence when the current one is used up. */
    private synchronized long[] nextKeys(Connection connection, int count) throws SQLException {
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            if (nextKey > lastKey) {
                long drawn = draw(connection);
                lastKey = drawn;
                nextKey = Math.max(1, drawn - BLOCK + 1); // the first value drawn (1) is a block of its own
            }
            keys[i] = nextKey++;
        }
        return keys;
    }

    private long draw(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(drawKey); ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("The audit sequence gave no value");
            }
            return row.getLong(1);
        }
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
