package org.alongside.persistence;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.alongside.audit.AuditEvents;
import org.alongside.audit.AuditRecord;
import org.alongside.audit.AuditStore;
import org.alongside.persistence.audit.AuditEventRow;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.AuditEvent;

/** The audit trail in the {@code audit_event} and {@code audit_entity} tables (migrations V5 and V13). */
@ApplicationScoped
public class JpaAuditStore implements AuditStore {

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Inject
    FhirContext fhirContext;

    @Inject
    StoreDatabase database;

    private volatile AuditInserts inserts;

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public void append(AuditRecord record) {
        persistAll(List.of(record));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void appendAll(List<AuditRecord> records) {
        persistAll(records);
    }

    /** In the caller's transaction, on the session's connection ({@link AuditInserts}: why not as entities). */
    private void persistAll(List<AuditRecord> records) {
        AuditInserts statements = inserts();
        em.unwrap(Session.class).doWork(connection -> statements.insert(connection, records));
    }

    private AuditInserts inserts() {
        if (inserts == null) {
            inserts = new AuditInserts(database.isPostgres()); // a race builds two: each draws keys of its own
        }
        return inserts;
    }

    /** The record's columns (long values cut to their column's size). */
    static AuditEventRow row(AuditRecord record) {
        AuditRecord.Agent agent = record.agent();
        return new AuditEventRow(record.id(), record.recorded(),
                agent == null || agent.fhirUser() == null ? null : truncate(agent.fhirUser()),
                "," + record.interaction() + (record.disclosure() ? ",disclosure," : ","),
                AuditEvents.outcome(record.status()), cut(record.requestId(), 128), record.action(), record.status(),
                record.purpose(), agent == null ? null : truncate(agent.subject()),
                agent == null ? null : cut(agent.clientId(), 256),
                agent == null ? null : cut(String.join(",", agent.roles()), 256), record.serverWork(),
                cut(record.clientAddress(), 128), record.query(), String.join("\n", record.references()),
                String.join("\n", record.patients()));
    }

    /** The event a row holds: built from its columns, or parsed from the JSON of an event recorded before V13. */
    private AuditEvent event(AuditEventRow row) {
        return row.getContent() != null ? fhirContext.newJsonParser().parseResource(AuditEvent.class, row.getContent())
                : AuditEvents.toFhir(record(row));
    }

    /** The record a row of columns holds. */
    static AuditRecord record(AuditEventRow row) {
        String[] subtypes = row.getSubtype().substring(1).split(",");
        AuditRecord.Agent agent = row.getAgentSubject() == null ? null : new AuditRecord.Agent(row.getAgent(),
                row.getAgentSubject(), row.getAgentClient(), lines(row.getAgentRoles(), ","));
        return new AuditRecord(row.getId(), row.getRecorded(), subtypes[0], row.getAction(), row.getHttpStatus(),
                List.of(subtypes).contains("disclosure"), row.getPurpose(), agent, row.isServerWork(),
                row.getClientAddress(), row.getQuery(), row.getRequestId(), lines(row.getReferences(), "\n"),
                lines(row.getPatients(), "\n"));
    }

    private static List<String> lines(String joined, String separator) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(separator));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AuditEvent> read(String id) {
        return em.createQuery("select r from AuditEventRow r where r.id = :id", AuditEventRow.class)
                .setParameter("id", id).getResultStream().findFirst().map(this::event);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page search(Criteria criteria, int count, Long beforeKey) {
        StringBuilder jpql = new StringBuilder("select r from AuditEventRow r where 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        if (criteria.entity() != null) {
            jpql.append(" and r.seq in (select e.auditSeq from AuditEntityRow e where e.reference = :entity)");
            params.put("entity", criteria.entity());
        }
        condition(jpql, params, "agent", criteria.agent());
        if (criteria.subtype() != null) {
            // every subtype code of the event, comma-delimited: ",read,disclosure,"
            jpql.append(" and r.subtype like :subtype");
            params.put("subtype", "%," + criteria.subtype() + ",%");
        }
        condition(jpql, params, "outcome", criteria.outcome());
        condition(jpql, params, "requestId", criteria.requestId());
        if (criteria.from() != null) {
            jpql.append(" and r.recorded >= :from");
            params.put("from", criteria.from());
        }
        if (criteria.to() != null) {
            jpql.append(" and r.recorded < :to");
            params.put("to", criteria.to());
        }
        if (beforeKey != null) {
            jpql.append(" and r.seq < :before");
            params.put("before", beforeKey);
        }
        jpql.append(" order by r.seq desc");
        TypedQuery<AuditEventRow> query = em.createQuery(jpql.toString(), AuditEventRow.class);
        params.forEach(query::setParameter);
        List<AuditEventRow> rows = query.setMaxResults(count + 1).getResultList();
        boolean more = rows.size() > count;
        List<AuditEvent> events = new ArrayList<>();
        for (AuditEventRow row : rows.subList(0, Math.min(count, rows.size()))) {
            events.add(event(row));
        }
        Long last = rows.isEmpty() ? null : rows.get(Math.min(count, rows.size()) - 1).getSeq();
        return new Page(events, last, more);
    }

    private static void condition(StringBuilder jpql, Map<String, Object> params, String field, String value) {
        if (value != null) {
            jpql.append(" and r.").append(field).append(" = :").append(field);
            params.put(field, value);
        }
    }

    static String truncate(String value) {
        return cut(value, 256);
    }

    private static String cut(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }
}
