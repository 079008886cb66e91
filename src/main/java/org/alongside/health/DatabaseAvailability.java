package org.alongside.health;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.alongside.store.StoreAvailability;

/**
 * The application's {@link OutageGate}: requests report what they met ({@link DatabaseOutage}), the FHIR endpoint and
 * readiness ask it before they go to the database, and its probe runs a statement on a connection from the pool.
 */
@ApplicationScoped
public class DatabaseAvailability implements StoreAvailability {

    private static final Logger LOG = Logger.getLogger(DatabaseAvailability.class.getName());
    /** After an outage, the database is asked again this long after the last probe ended. */
    static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int VALIDATION_SECONDS = 2;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    private ExecutorService prober;
    private OutageGate gate;

    @PostConstruct
    void start() {
        prober = Executors.newSingleThreadExecutor(threads);
        gate = new OutageGate(System::nanoTime, PROBE_INTERVAL_NANOS, prober, this::databaseAnswers,
                refused -> LOG.warning("The database answers again; " + refused + " requests were refused with 503"
                        + " while it could not be reached (they never reached the audit trail: nothing was read or"
                        + " written for them)"));
    }

    @PreDestroy
    void stop() {
        prober.shutdownNow();
    }

    /** True when a request may use the database now; false while an outage lasts (answer 503 at once). */
    public boolean admits() {
        return gate.admits();
    }

    /**
     * Reports what a request met. Returns whether it was an outage (to be answered 503); one that says the database
     * cannot be reached closes the gate.
     */
    public boolean report(Throwable failure) {
        if (!DatabaseOutage.isOutage(failure)) {
            return false;
        }
        if (DatabaseOutage.isUnreachable(failure) && gate.outageSeen()) {
            LOG.warning("The database cannot be reached: requests are answered 503 at once, without audit events, until"
                    + " it answers again"
                    + " (asked every " + TimeUnit.NANOSECONDS.toSeconds(PROBE_INTERVAL_NANOS) + " s; "
                    + rootCause(failure).getClass().getSimpleName() + ")");
        }
        return true;
    }

    /** Whether requests are refused now. */
    @Override
    public boolean unreachable() {
        return gate.refusing();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * A statement rather than {@code isValid}: a pooled connection that no longer leads anywhere fails it with a
     * connection error, on which the pool discards that connection (and, by default, the idle rest), so the next probe
     * does not find the same broken connection again.
     */
    private boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(VALIDATION_SECONDS);
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
