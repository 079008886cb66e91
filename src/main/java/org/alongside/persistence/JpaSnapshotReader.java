package org.alongside.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The page query reads {@code res} alone; only the rows changed after {@code asOf} (few: those written while the
 * export runs) have their version looked up, by a second query for the page. Joining {@code res_version} in the page
 * query instead made H2 run the newest-version subquery and an index probe for every row, changed or not: 90 % of an
 * export's time there (docs/benchmarks.md, Bulk export).
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
            Map<Long, String> versions = versionsAsOf(query, changedKeys(page, query.asOf()));
            for (Object[] row : page) {
                long key = ((Number) row[0]).longValue();
                boolean changed = isChanged(row, query.asOf());
                String json = changed ? versions.get(key) : (String) row[1];
                if (json == null) {
                    continue; // changed since, and at asOf deleted, not yet created, or not newer than since
                }
                handed++;
                if (!sink.test(new SnapshotRow(json, !changed))) {
                    return handed;
                }
            }
            if (page.size() < query.pageSize()) {
                return handed;
            }
            afterKey = ((Number) page.get(page.size() - 1)[0]).longValue();
        }
    }

    /**
     * The next rows of the type: unchanged since {@code asOf} and matching (not deleted, newer than {@code since}, in
     * the compartment), or changed since (their version at {@code asOf} decides). A changed row's own content is not
     * read: it is of a later version.
     */
    private List<Object[]> page(SnapshotQuery query, long afterKey) {
        boolean since = query.since() != null;
        boolean compartment = !query.patientReferenceParams().isEmpty();
        String jpql = "SELECT r.pk, CASE WHEN r.lastUpdated <= :asOf THEN r.content END, r.lastUpdated"
                + " FROM ResourceRow r"
                + " WHERE r.type = :type AND r.pk > :after AND (r.lastUpdated > :asOf OR (r.deleted = false"
                + (since ? " AND r.lastUpdated > :since" : "")
                + (compartment ? " AND EXISTS (SELECT 1 FROM ReferenceIndexRow i WHERE i.resourcePk = r.pk"
                        + " AND i.param IN :params AND i.targetType = 'Patient')" : "")
                + " ))"
                // the type too: H2 reads a (type, key) index in order only when ORDER BY names the type; by the
                // key alone it gathered and sorted every remaining row of the type for each page
                + " ORDER BY r.type, r.pk";
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

    private static boolean isChanged(Object[] row, Instant asOf) {
        return ((Instant) row[2]).isAfter(asOf);
    }

    private static List<Long> changedKeys(List<Object[]> page, Instant asOf) {
        List<Long> keys = new ArrayList<>();
        for (Object[] row : page) {
            if (isChanged(row, asOf)) {
                keys.add(((Number) row[0]).longValue());
            }
        }
        return keys;
    }

    /** The content of each resource's newest version at {@code asOf}, when that is not a deletion and is newer than since. */
    private Map<Long, String> versionsAsOf(SnapshotQuery query, List<Long> keys) {
        Map<Long, String> contents = new HashMap<>();
        if (keys.isEmpty()) {
            return contents;
        }
        boolean since = query.since() != null;
        TypedQuery<Object[]> typed = em.createQuery("SELECT v.resourcePk, v.content FROM VersionRow v"
                        + " WHERE v.resourcePk IN :keys AND v.method <> 'DELETE'"
                        + (since ? " AND v.lastUpdated > :since" : "")
                        + " AND v.versionId = (SELECT MAX(w.versionId) FROM VersionRow w"
                        + "   WHERE w.resourcePk = v.resourcePk AND w.lastUpdated <= :asOf)", Object[].class)
                .setParameter("keys", keys)
                .setParameter("asOf", query.asOf());
        if (since) {
            typed.setParameter("since", query.since());
        }
        for (Object[] row : typed.getResultList()) {
            contents.put(((Number) row[0]).longValue(), (String) row[1]);
        }
        return contents;
    }
}
