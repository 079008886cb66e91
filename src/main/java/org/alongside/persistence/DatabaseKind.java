package org.alongside.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** Which database a connection leads to, where the SQL must differ (PostgreSQL's transaction ids and statistics). */
final class DatabaseKind {

    private DatabaseKind() {
    }

    static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
