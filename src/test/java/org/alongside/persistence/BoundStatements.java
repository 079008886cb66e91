package org.alongside.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Statements with their values bound, for the tests that run the server's SQL on a database of their own. */
final class BoundStatements {

    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

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

    /**
     * A statement of {@link SearchSql} (placeholders {@code ?1, ?2...}, which H2 reads but PostgreSQL's driver does
     * not) with plain placeholders, each bound to its numbered value; instants as timestamps with time zone.
     */
    static PreparedStatement prepareNumbered(Connection connection, String sql, List<?> values) throws SQLException {
        Matcher placeholder = NUMBERED.matcher(sql);
        List<Object> inOrder = new ArrayList<>();
        while (placeholder.find()) {
            Object value = values.get(Integer.parseInt(placeholder.group(1)) - 1);
            inOrder.add(value instanceof java.time.Instant instant
                    ? instant.atOffset(java.time.ZoneOffset.UTC) : value);
        }
        return prepare(connection, placeholder.replaceAll("?"), inOrder);
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
