package org.alongside.persistence;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps the embedded H2 database's file from growing without end. With {@code WRITE_DELAY=0} (every commit written
 * before it returns, docs/operations.md#durability) H2 runs no housekeeping: its background thread, which rewrites the
 * live pages of half-empty chunks so that their space can be used again, exists only when commits may be delayed.
 * Every commit writes a new chunk, and the file grew by about 35 kB per request in the test suite (1.2 GB for 29 MB of
 * data). So this job does that housekeeping: every {@link #INTERVAL_SECONDS} second it asks H2's store to rewrite
 * chunks less than {@link #TARGET_FILL_RATE} % full, up to {@link #WRITE_LIMIT} bytes of live pages at a time (small
 * steps, as H2's own thread takes them, since commits wait while it holds the store). The emptied chunks are reused
 * once H2's retention time (45 s) has passed.
 *
 * <p>The store is reached through an H2 function ({@link #compact}) that H2 calls with its own connection: H2's classes
 * are in the server's JDBC library, not in the application, so its API is called by reflection there (public methods
 * only). Nothing runs on PostgreSQL, which reuses space itself (vacuum).
 */
@ApplicationScoped
public class EmbeddedCompaction {

    private static final Logger LOG = Logger.getLogger(EmbeddedCompaction.class.getName());
    static final int INTERVAL_SECONDS = 1;
    static final int TARGET_FILL_RATE = 80;
    static final int WRITE_LIMIT = 1 << 20;
    static final String FUNCTION = "ALONGSIDE_COMPACT";

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    @Inject
    StoreDatabase database;

    @Inject
    DatabaseMigrator migrator;

    private final UpkeepSchedule schedule = new UpkeepSchedule(LOG, "Compacting the embedded database failed");
    private volatile boolean declared;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        schedule.start(threads, INTERVAL_SECONDS, this::run);
    }

    @PreDestroy
    void stop() {
        schedule.stop();
    }

    private boolean run() throws SQLException {
        if (!migrator.isMigrated()) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (database.isPostgres()) {
                stop();
                return false;
            }
            if (!declared) {
                declare(connection);
                declared = true;
            }
            return callFunction(connection);
        } catch (SQLException | RuntimeException e) {
            declared = false; // e.g. the schema was dropped with the function: declared again next time
            throw e;
        }
    }

    /** Declares the function and calls it; true when it rewrote any chunk. */
    static boolean compactThrough(Connection connection) throws SQLException {
        declare(connection);
        return callFunction(connection);
    }

    /** The function is kept in the schema (and dropped with it); declaring it again changes nothing. */
    private static void declare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE ALIAS IF NOT EXISTS " + FUNCTION + " FOR \""
                    + EmbeddedCompaction.class.getName() + ".compact\"");
        }
    }

    private static boolean callFunction(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("CALL " + FUNCTION + "()")) {
            return result.next() && result.getBoolean(1);
        }
    }

    /**
     * The H2 function: rewrites the live pages of the emptiest chunks of the store that {@code connection} (H2's own,
     * passed in by H2) belongs to, as H2's background housekeeping does. True when it rewrote any.
     */
    public static boolean compact(Connection connection) throws ReflectiveOperationException {
        Object session = call(connection, "getSession");
        Object h2Database = call(session, "getDatabase");
        Object store = call(h2Database, "getStore");
        Object mvStore = call(store, "getMvStore");
        return (Boolean) mvStore.getClass().getMethod("compact", int.class, int.class)
                .invoke(mvStore, TARGET_FILL_RATE, WRITE_LIMIT);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }
}
