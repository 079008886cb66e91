package org.alongside.health;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognises a failure that means "the database cannot be reached right now" (rather than "this request is wrong" or
 * "the server has a bug"), anywhere in a cause chain: connection failures (SQLState class 08, the JDBC connection
 * exception types, Hibernate's {@code JDBCConnectionException}), a pool that could not hand out a connection in time,
 * and PostgreSQL shutting down or starting up (57P01-57P03). Those requests are answered 503 with Retry-After: the
 * client may send the same request again once the database is back, and nothing was written.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the database itself could not be reached, rather than the pool having no free connection in time
     * (Liberty's {@code ConnectionWaitTimeoutException}, which Hibernate also reports as a connection failure): a
     * busy pool is answered 503 too, but says nothing about the next request's chances.
     */
    public static boolean isUnreachable(Throwable exception) {
        if (!isOutage(exception)) {
            return false;
        }
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().equals("ConnectionWaitTimeoutException")) {
                return false;
            }
        }
        return true;
    }
}
