package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's housekeeping ({@link EmbeddedCompaction}) on H2 with the URL {@code server.xml} ships, whose
 * {@code WRITE_DELAY=0} turns H2's own housekeeping off. The same writes (many small commits of rows with scattered
 * keys, as audit references and search index rows are) go to two databases; one is compacted every 25 commits. H2's
 * retention time is shortened to nothing here, so that emptied chunks are reused within the test (the server keeps
 * H2's 45 s).
 */
class EmbeddedCompactionOnH2Test {

    private static final int COMMITS = 4_000;

    @TempDir
    Path dir;

    @Test
    void compactingKeepsTheFileFromGrowingWithEveryCommit() throws Exception {
        long left = write(dir.resolve("left"), false);
        long kept = write(dir.resolve("kept"), true);
        assertThat(kept).as("bytes with housekeeping, against %d without", left).isLessThan(left / 3);
    }

    @Test
    void theFunctionIsDeclaredOnceAndKeepsTheDataIntact() throws Exception {
        try (Connection connection = open(dir.resolve("intact"))) {
            fill(connection, 500, false);
            EmbeddedCompaction.compactThrough(connection);
            EmbeddedCompaction.compactThrough(connection);
            try (Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT pk) FROM e")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getLong(1)).isEqualTo(500L * 20);
                assertThat(count.getLong(2)).isEqualTo(500L * 20);
            }
        }
    }

    private long write(Path base, boolean compact) throws Exception {
        try (Connection connection = open(base)) {
            fill(connection, COMMITS, compact);
        }
        return Files.size(Path.of(base + ".mv.db"));
    }

    private static Connection open(Path base) throws Exception {
        String url = H2DurabilityTest.shippedUrl().replace("${server.output.dir}/data/alongside", base.toString())
                + ";RETENTION_TIME=0";
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE e (pk BIGINT PRIMARY KEY, reference VARCHAR(256) NOT NULL, v VARCHAR)");
            statement.execute("CREATE INDEX ix_e_reference ON e (reference, pk)");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    private static void fill(Connection connection, int commits, boolean compact) throws Exception {
        Random random = new Random(7);
        long key = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO e VALUES (?, ?, ?)")) {
            for (int commit = 1; commit <= commits; commit++) {
                for (int row = 0; row < 20; row++) {
                    insert.setLong(1, key++);
                    insert.setString(2, "Communication/" + random.nextInt(200_000));
                    insert.setString(3, "x".repeat(100));
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
                if (compact && commit % 25 == 0) {
                    EmbeddedCompaction.compactThrough(connection);
                    connection.commit();
                }
            }
        }
    }
}
