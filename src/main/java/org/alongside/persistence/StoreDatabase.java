package org.alongside.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Which database holds the store, where the SQL must differ: PostgreSQL's transaction ids, advisory locks and
 * statistics, and the embedded database's planner. Asked of the data source once, when first needed, and remembered.
 */
@ApplicationScoped
public class StoreDatabase {

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    private volatile String product;

    public boolean isPostgres() {
        return product().contains("postgres");
    }

    /** How the database plans searches, which decides the shape of some statements ({@link SearchSql.Planner}). */
    SearchSql.Planner planner() {
        return product().contains("h2") ? SearchSql.Planner.EMBEDDED : SearchSql.Planner.COST_BASED;
    }

    private String product() {
        String known = product;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot tell which database holds the store (SQL state "
                        + e.getSQLState() + ")", e);
            }
            product = known;
        }
        return known;
    }
}
