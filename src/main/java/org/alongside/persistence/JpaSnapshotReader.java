package org.alongside.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.Predicate;
import org.alongside.store.SnapshotQuery;
import org.alongside.store.SnapshotReader;
import org.alongside.store.SnapshotRow;

/**
 * {@link SnapshotReader} as one keyset-paged scan of a type's {@code res} rows in key order. Each page is one short
 * query (no transaction stays open), and decides per resource which content was current at {@code asOf}: the row
 * itself when it has not changed since (then the search index describes it, and the Patient compartment filter runs
 * in SQL), otherwise its newest version in {@code res_version} stamped at or before {@code asOf}. That version never
 * changes once written, so a resource updated while the export reads still appears exactly once, as it was.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class JpaSnapshotReader implements SnapshotReader {

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Override
    public long read(SnapshotQuery query, Predicate<SnapshotRow> sink) {
        long handed = 0;
        long afterKey = Long.MIN_VALUE;
        while (true) {
            List<Object[]> page = page(query, afterKey);
            for (Object[] row : page) {
                handed++;
                SnapshotRow snapshot = row[2] != null ? new SnapshotRow((String) row[2], false)
                        : new SnapshotRow((String) row[1], true);
                if (!sink.test(snapshot)) {
                    return handed;
                }
            }
            if (page.size() < query.pageSize()) {
                return handed;
            }
            afterKey = ((Number) page.get(page.size() - 1)[0]).longValue();
        }
    }

    private List<Object[]> page(SnapshotQuery query, long afterKey) {
        boolean since = query.since() != null;
        boolean compartment = !query.patientReferenceParams().isEmpty();
        String jpql = "SELECT r.pk, r.content, v.content FROM ResourceRow r"
                + " LEFT JOIN VersionRow v ON v.resourcePk = r.pk AND r.lastUpdated > :asOf"
                + "   AND v.versionId = (SELECT MAX(w.versionId) FROM VersionRow w"
                + "     WHERE w.resourcePk = r.pk AND w.lastUpdated <= :asOf)"
                + " WHERE r.type = :type AND r.pk > :after AND ("
                + "   (r.lastUpdated <= :asOf AND r.deleted = false"
                + (since ? " AND r.lastUpdated > :since" : "")
                + (compartment ? " AND EXISTS (SELECT 1 FROM ReferenceIndexRow i WHERE i.resourcePk = r.pk"
                        + " AND i.param IN :params AND i.targetType = 'Patient')" : "")
                + "   ) OR (r.lastUpdated > :asOf AND v.method <> 'DELETE'"
                + (since ? " AND v.lastUpdated > :since" : "")
                + "   ))"
                + " ORDER BY r.pk";
        TypedQuery<Object[]> typed = em.createQuery(jpql, Object[].class)
                .setParameter("type", query.type())
                .setParameter("after", afterKey)
                .setParameter("asOf", query.asOf())
                .setMaxResults(query.pageSize());
        if (since) {
            typed.setParameter("since", query.since());
        }
        if (compartment) {
            typed.setParameter("params", query.patientReferenceParams());
        }
        return typed.getResultList();
    }
}
