package org.alongside.persistence;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.alongside.config.AlongsideConfig;

/**
 * Keeps PostgreSQL's planner statistics fresh where autovacuum is off or has not caught up, e.g. right after a bulk
 * load: search plans chosen on a freshly loaded table without statistics can be thousands of times slower. Every
 * {@code alongside.db.analyze-interval-seconds} (15 s) it analyses each of the schema's tables whose rows changed by
 * a tenth or more (at least 500 rows) since its last analysis, as {@code pg_stat_user_tables} counts them (about
 * where autovacuum's default threshold lies). One instance at a time (a transaction-scoped advisory lock); nothing on the
 * embedded database, which plans without such statistics.
 */
@ApplicationScoped
public class StatisticsKeeper {

    private static final Logger LOG = Logger.getLogger(StatisticsKeeper.class.getName());
    private static final long LOCK_KEY = 0x616c6f6e67736964L; // "alongsid"

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    @Inject
    StoreDatabase database;

    @Inject
    AlongsideConfig config;

    private final UpkeepSchedule schedule = new UpkeepSchedule(LOG, "Checking table statistics failed");

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        int interval = config.analyzeIntervalSeconds();
        if (interval > 0) {
            schedule.start(threads, interval, this::analyse);
        }
    }

    @PreDestroy
    void stop() {
        schedule.stop();
    }

    /** Analyses the stale tables; false when there is nothing to do here (not PostgreSQL, or another instance is at it). */
    boolean check() {
        return schedule.attempt(this::analyse);
    }

    private boolean analyse() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!database.isPostgres()) {
                stop();
                return false;
            }
            connection.setAutoCommit(false);
            try {
                boolean analysed = analyseStale(connection);
                connection.commit();
                return analysed;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private boolean analyseStale(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        List<String> stale = new ArrayList<>();
        try (PreparedStatement find = connection.prepareStatement("SELECT schemaname, relname FROM pg_stat_user_tables"
                + " WHERE schemaname = COALESCE(?, current_schema())"
                + " AND n_mod_since_analyze >= GREATEST(500, 0.1 * n_live_tup) ORDER BY relname")) {
            find.setString(1, config.databaseSchema().orElse(null));
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    stale.add(quote(rs.getString(1)) + "." + quote(rs.getString(2)));
                }
            }
        }
        try (Statement analyse = connection.createStatement()) {
            for (String table : stale) {
                analyse.execute("ANALYZE " + table);
            }
        }
        if (!stale.isEmpty()) {
            LOG.fine("Analysed " + stale.size() + " tables whose statistics were stale");
        }
        return !stale.isEmpty();
    }

    /** Table names come from the catalogue; quoted all the same. */
    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
