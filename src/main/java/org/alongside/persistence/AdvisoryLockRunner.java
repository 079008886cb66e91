package org.alongside.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.alongside.store.SingleInstance;

/**
 * {@link SingleInstance} on PostgreSQL: a session-level advisory lock per job, tried (never waited for) on a
 * connection of its own and held for the whole run; PostgreSQL releases it when that connection ends, so a crashed
 * instance holds nothing. The work runs its own transactions on other connections. The embedded database serves one
 * process, so there an in-process lock is enough.
 */
@ApplicationScoped
public class AdvisoryLockRunner implements SingleInstance {

    /** The high half of every job's key ("alon"), so that the keys stay apart from other users of advisory locks. */
    private static final long KEY_PREFIX = 0x616c6f6eL << 32;

    /** Unshared: the lock's connection must not be the one a transaction of the work is handed. */
    @Resource(lookup = "jdbc/alongside", shareable = false)
    DataSource dataSource;

    @Inject
    StoreDatabase database;

    private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();

    @Override
    public boolean runAlone(String job, Runnable work) {
        ReentrantLock inProcess = local.computeIfAbsent(job, j -> new ReentrantLock());
        if (!inProcess.tryLock()) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!database.isPostgres()) {
                work.run();
                return true;
            }
            connection.setAutoCommit(true); // no transaction left open on this connection while the work runs
            long key = key(job);
            if (!tryLock(connection, key)) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                unlock(connection, key);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the lock of job " + job + " (SQL state " + e.getSQLState()
                    + ")", e);
        } finally {
            inProcess.unlock();
        }
    }

    static long key(String job) {
        CRC32 crc = new CRC32();
        crc.update(job.getBytes(StandardCharsets.UTF_8));
        return KEY_PREFIX | crc.getValue();
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Pooled connections outlive the run: the lock is given back explicitly, or the next user would hold it. */
    private static void unlock(Connection connection, long key) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.execute();
        }
    }
}
