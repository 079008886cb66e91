package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's JDBC URL, exactly as {@code liberty/config/server.xml} ships it, keeps every commit it
 * acknowledged when its process is killed: a child JVM commits rows one by one and prints each id after its commit
 * returned; once it has acknowledged 2,000 (a second or two), it gets SIGKILL; every printed id must be in the file. (With H2's default
 * write delay of 500 ms, this loses commits.) {@code CrashIT} checks the same through the whole server.
 */
class H2DurabilityTest {

    @Test
    void theShippedH2UrlKeepsEveryAcknowledgedCommitWhenTheProcessIsKilled(@TempDir Path dir) throws Exception {
        String url = shippedUrl().replace("${server.output.dir}", dir.toString());
        assertThat(url).contains("WRITE_DELAY=0");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < 2000 && (line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line);
            }
            writer.destroyForcibly(); // SIGKILL
            writer.waitFor();
        }
        assertThat(acknowledged).as("commits acknowledged before the kill").isEqualTo(2000);
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             ResultSet stored = connection.createStatement().executeQuery("SELECT COUNT(*), MAX(id) FROM t")) {
            stored.next();
            assertThat(stored.getLong(2)).as("the last acknowledged id is stored").isGreaterThanOrEqualTo(acknowledged);
            assertThat(stored.getLong(1)).isEqualTo(stored.getLong(2));
        }
    }

    static String shippedUrl() throws Exception {
        String serverXml = Files.readString(Path.of("liberty/config/server.xml"));
        Matcher url = Pattern.compile("<variable name=\"alongside\\.db\\.url\" defaultValue=\"([^\"]+)\"/>")
                .matcher(serverXml);
        assertThat(url.find()).as("alongside.db.url in server.xml").isTrue();
        return url.group(1);
    }

    /** The child: commits one row at a time, forever, printing each id once its commit returned. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (Connection connection = DriverManager.getConnection(args[0], "sa", "")) {
                connection.createStatement().execute("CREATE TABLE t (id BIGINT PRIMARY KEY, body VARCHAR(2000))");
                connection.setAutoCommit(false);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)");
                for (long id = 1; ; id++) {
                    insert.setLong(1, id);
                    insert.setString(2, "x".repeat(500));
                    insert.executeUpdate();
                    connection.commit();
                    System.out.println(id);
                    System.out.flush();
                }
            }
        }
    }
}
