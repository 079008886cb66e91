package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.alongside.persistence.index.ReferenceIndexRow;
import org.alongside.store.SnapshotQuery;
import org.alongside.store.SnapshotRow;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JpaSnapshotReader}'s page statement as Hibernate writes it, run on an in-memory H2 database migrated as the
 * server's. An export reads each type page by page; H2 must read a page straight from the (type, key) index and stop
 * at its size. Ordered by the key alone, H2 gathered and sorted every remaining row of the type for each page, so an
 * export's time grew with the square of the type's size (5x slower than PostgreSQL at 100,000 resources).
 */
class SnapshotPageOnH2Test {

    private static final String URL = "jdbc:h2:mem:snapshot_page_test;DB_CLOSE_DELAY=-1";
    private static final Instant WRITTEN = Instant.parse("2026-04-01T00:00:00Z");
    private static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();
    private static Connection connection;
    private static SessionFactory hibernate;

    @BeforeAll
    static void migrateAndLoad() throws Exception {
        Flyway.configure().dataSource(URL, "sa", "").locations(DatabaseMigrator.locations(false)).load().migrate();
        connection = DriverManager.getConnection(URL, "sa", "");
        // types interleaved, as a transaction Bundle writes them: 1 Patient, 2 Goal, 3 Communication, 4 Patient...
        String[] types = {"Patient", "Goal", "Communication"};
        for (long key = 1; key <= 30; key++) {
            String type = types[(int) ((key - 1) % 3)];
            execute("INSERT INTO res (pk, res_type, res_id, version_id, last_updated, deleted, content)"
                    + " VALUES (?, ?, ?, 1, ?, FALSE, ?)", key, type, "r" + key, WRITTEN,
                    "{\"resourceType\":\"" + type + "\",\"id\":\"r" + key + "\"}");
            if (!type.equals("Patient")) {
                execute("INSERT INTO idx_reference (pk, res_pk, res_type, param, target_type, target_id)"
                        + " VALUES (?, ?, ?, 'subject', 'Patient', 'r1')", key, key, type);
            }
        }
        hibernate = new Configuration()
                .addAnnotatedClass(ResourceRow.class)
                .addAnnotatedClass(VersionRow.class)
                .addAnnotatedClass(ReferenceIndexRow.class)
                .setProperty("hibernate.connection.url", URL)
                .setProperty("hibernate.connection.username", "sa")
                .setProperty("hibernate.connection.password", "")
                .setProperty("hibernate.jdbc.time_zone", "UTC")
                .setProperty("hibernate.hbm2ddl.auto", "none")
                .setStatementInspector((StatementInspector) sql -> {
                    STATEMENTS.add(sql);
                    return sql;
                })
                .buildSessionFactory();
    }

    @AfterAll
    static void close() throws Exception {
        hibernate.close();
        connection.close();
    }

    private static void execute(String sql, Object... values) throws Exception {
        BoundStatements.execute(connection, sql, values);
    }

    private static List<String> read(SnapshotQuery query) {
        STATEMENTS.clear();
        List<String> ids = new ArrayList<>();
        EntityManager em = hibernate.createEntityManager();
        try {
            JpaSnapshotReader reader = new JpaSnapshotReader();
            reader.em = em;
            reader.read(query, (SnapshotRow row) -> ids.add(row.json().replaceAll(".*\"id\":\"(r\\d+)\".*", "$1")));
        } finally {
            em.close();
        }
        return ids;
    }

    private static String plan(String sql) throws Exception {
        return BoundStatements.plan(connection, sql, List.of());
    }

    @Test
    void aTypeComesWholeInKeyOrderAcrossPages() {
        assertThat(read(new SnapshotQuery("Goal", WRITTEN.plusSeconds(60), null, List.of(), 4)))
                .containsExactly("r2", "r5", "r8", "r11", "r14", "r17", "r20", "r23", "r26", "r29");
    }

    @Test
    void theCompartmentPageKeepsOnlyResourcesAboutAPatient() {
        assertThat(read(new SnapshotQuery("Communication", WRITTEN.plusSeconds(60), null, List.of("subject"), 4)))
                .containsExactly("r3", "r6", "r9", "r12", "r15", "r18", "r21", "r24", "r27", "r30");
    }

    @Test
    void eachPageIsReadFromTheTypeAndKeyIndexInOrderWithoutASort() throws Exception {
        for (List<String> params : List.of(List.<String>of(), List.of("subject"))) {
            read(new SnapshotQuery("Goal", WRITTEN.plusSeconds(60), WRITTEN.minusSeconds(60), params, 4));
            List<String> pages = STATEMENTS.stream().filter(sql -> sql.contains(" from res ")).toList();
            assertThat(pages).as("page statements").hasSize(3);
            for (String page : pages) {
                // "index sorted": H2 walks the index in the requested order and stops after the page's rows
                assertThat(plan(page)).contains("IX_RES_TYPE_PK").contains("/* index sorted */");
            }
        }
    }
}
