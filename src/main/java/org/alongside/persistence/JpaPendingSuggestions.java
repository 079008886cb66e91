package org.alongside.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.alongside.cds.PendingSuggestions;

/**
 * {@link PendingSuggestions} on the {@code cds_suggestion} table. Accepting is one conditional update, so two
 * instances told of the same acceptance at once carry it out once.
 */
@ApplicationScoped
@Transactional
public class JpaPendingSuggestions implements PendingSuggestions {

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Override
    public void save(Pending pending) {
        CdsSuggestionRow row = new CdsSuggestionRow();
        row.id = pending.id();
        row.issuer = pending.issuer();
        row.clientId = pending.clientId();
        row.carePlanId = pending.carePlanId();
        row.peer = pending.peer();
        row.assigner = pending.assigner();
        row.expiresAt = pending.expiresAt();
        em.persist(row);
    }

    @Override
    public Optional<Pending> accept(String id, String issuer, String clientId, Instant now) {
        int updated = em.createQuery("update CdsSuggestionRow s set s.acceptedAt = :now where s.id = :id "
                        + "and s.issuer = :issuer and s.clientId = :client and s.acceptedAt is null and s.expiresAt > :now")
                .setParameter("now", now).setParameter("id", id).setParameter("issuer", issuer)
                .setParameter("client", clientId).executeUpdate();
        if (updated == 0) {
            return Optional.empty();
        }
        CdsSuggestionRow row = em.find(CdsSuggestionRow.class, id);
        return Optional.of(new Pending(row.id, row.issuer, row.clientId, row.carePlanId, row.peer, row.assigner,
                row.expiresAt));
    }

    @Override
    public void removeExpired(Instant before) {
        em.createQuery("delete from CdsSuggestionRow s where s.expiresAt < :before").setParameter("before", before)
                .executeUpdate();
    }
}
