package org.alongside.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** Statements with their values bound in order, for the tests that run SQL on an in-memory H2 database. */
final class BoundStatements {

    private BoundStatements() {
    }

    /** The statement, prepared, with {@code values} bound to its first, second... placeholder; the caller closes it. */
    static PreparedStatement prepare(Connection connection, String sql, List<?> values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
        return statement;
    }

    /** Runs an insert or update; a value may be null. */
    static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, Arrays.asList(values))) {
            statement.executeUpdate();
        }
    }

    /** H2's plan for the statement (its EXPLAIN), with the same values bound. */
    static String plan(Connection connection, String sql, List<?> values) throws SQLException {
        try (PreparedStatement explain = prepare(connection, "EXPLAIN " + sql, values);
             ResultSet result = explain.executeQuery()) {
            result.next();
            return result.getString(1);
        }
    }
}
