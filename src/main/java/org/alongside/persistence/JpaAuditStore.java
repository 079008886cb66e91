package org.alongside.persistence;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.alongside.audit.AuditStore;
import org.alongside.persistence.audit.AuditEntityRow;
import org.alongside.persistence.audit.AuditEventRow;
import org.hl7.fhir.r4.model.AuditEvent;

/** The audit trail in the {@code audit_event} and {@code audit_entity} tables (migration V5). */
@ApplicationScoped
public class JpaAuditStore implements AuditStore {

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Inject
    FhirContext fhirContext;

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public void append(AuditEvent event, String requestId, List<String> references, List<String> patients) {
        persistAll(List.of(new Entry(event, requestId, references, patients)));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void appendAll(List<Entry> entries) {
        persistAll(entries);
    }

    /** Every event row first, then every entity row: two JDBC batches (inserts are not reordered, see persistence.xml). */
    private void persistAll(List<Entry> entries) {
        List<AuditEntityRow> entities = new ArrayList<>();
        for (Entry entry : entries) {
            AuditEventRow row = row(entry.event(), entry.requestId());
            em.persist(row);
            Set<String> patientRefs = new LinkedHashSet<>();
            entry.patients().forEach(p -> patientRefs.add("Patient/" + p));
            Set<String> all = new LinkedHashSet<>(entry.references());
            all.addAll(patientRefs);
            for (String reference : all) {
                entities.add(new AuditEntityRow(row.getSeq(), truncate(reference), patientRefs.contains(reference)));
            }
        }
        entities.forEach(em::persist);
        em.flush();
    }

    private AuditEventRow row(AuditEvent event, String requestId) {
        String agent = event.getAgent().isEmpty() || !event.getAgentFirstRep().getWho().hasReference()
                ? null : truncate(event.getAgentFirstRep().getWho().getReference());
        return new AuditEventRow(event.getIdElement().getIdPart(), event.getRecorded().toInstant(), agent,
                "," + String.join(",", event.getSubtype().stream().map(c -> c.getCode()).toList()) + ",",
                event.getOutcome() == null ? "0" : event.getOutcome().toCode(),
                requestId == null ? null : requestId.substring(0, Math.min(128, requestId.length())),
                fhirContext.newJsonParser().encodeResourceToString(event));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AuditEvent> read(String id) {
        return em.createQuery("select r from AuditEventRow r where r.id = :id", AuditEventRow.class)
                .setParameter("id", id).getResultStream().findFirst().map(this::parse);
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
            events.add(parse(row));
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

    private AuditEvent parse(AuditEventRow row) {
        return fhirContext.newJsonParser().parseResource(AuditEvent.class, row.getContent());
    }

    private static String truncate(String value) {
        return value.length() > 256 ? value.substring(0, 256) : value;
    }
}
