package org.alongside.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.alongside.store.WriteHorizon;

/**
 * {@link WriteHorizon} on the configured database. On PostgreSQL a transaction's place is its transaction id and
 * the horizon the oldest id still running ({@code pg_snapshot_xmin}), which the database knows for every instance.
 * On the embedded database, which one process owns, the server counts places itself ({@link EmbeddedWriteOrder}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class WriteOrder implements WriteHorizon {

    private static final Object PLACE = WriteOrder.class.getName() + ".place";

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Inject
    StoreDatabase database;

    @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
    TransactionSynchronizationRegistry transactions;

    private final EmbeddedWriteOrder embedded = new EmbeddedWriteOrder(this::highestStored);

    /** This transaction's place in the write order, taken on its first call; needs an active transaction. */
    long place() {
        Object known = transactions.getResource(PLACE);
        if (known != null) {
            return (Long) known;
        }
        long place;
        if (postgres()) {
            place = number("SELECT CAST(pg_current_xact_id() AS VARCHAR)");
        } else {
            // registered before the place is opened: a transaction that cannot be followed to its end opens none
            Finish finish = new Finish();
            transactions.registerInterposedSynchronization(finish);
            place = embedded.open();
            finish.place = place;
        }
        transactions.putResource(PLACE, place);
        return place;
    }

    @Override
    public long horizon() {
        return postgres() ? number("SELECT CAST(pg_snapshot_xmin(pg_current_snapshot()) AS VARCHAR)") : embedded.horizon();
    }

    @Override
    public long mark() {
        return postgres() ? number("SELECT CAST(pg_snapshot_xmax(pg_current_snapshot()) AS VARCHAR)") : embedded.mark();
    }

    private long highestStored() {
        return ((Number) em.createNativeQuery("SELECT COALESCE(MAX(write_order), 0) FROM res_version")
                .getSingleResult()).longValue();
    }

    private long number(String sql) {
        return SessionSql.first(em, sql, row -> Long.parseLong(row.getString(1)));
    }

    private boolean postgres() {
        return database.isPostgres();
    }

    /** Closes the transaction's place once it has committed or rolled back. */
    private final class Finish implements Synchronization {
        private volatile long place = -1;

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (place >= 0) {
                embedded.finished(place);
            }
        }
    }
}
