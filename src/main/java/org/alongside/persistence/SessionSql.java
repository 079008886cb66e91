package org.alongside.persistence;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.hibernate.Session;

/**
 * Small statements run on the entity manager's own connection, in its transaction, without Hibernate's query
 * machinery. Why: for a statement that reads one row of plain values, resolving a query, its result types (a metadata
 * round of the driver for every native query) and, for an entity, its persistence-context entry cost several times the
 * statement itself, on every read and write (docs/benchmarks.md, "Where the time goes"). Nothing is flushed first:
 * a caller that must see its transaction's unflushed entities flushes them itself.
 */
final class SessionSql {

    /** Reads the current row of a result set. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private SessionSql() {
    }

    /** The first row the statement returns, as the reader makes it, or null when there is none. */
    static <T> T first(EntityManager em, String sql, RowReader<T> reader, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setObject(i + 1, params[i]);
                }
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? reader.read(row) : null;
                }
            }
        });
    }
}
