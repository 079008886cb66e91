package org.alongside.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.alongside.config.AlongsideConfig;
import org.alongside.search.SearchParamRegistry;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Brings the schema up to date with Flyway when the application starts, before any request is served,
 * then makes sure every configured resource type has its conditional-write lock row.
 */
@ApplicationScoped
public class DatabaseMigrator {

    private static final Logger LOG = Logger.getLogger(DatabaseMigrator.class.getName());

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    @Inject
    AlongsideConfig config;

    @Inject
    StoreDatabase database;

    @Inject
    SearchParamRegistry registry;

    private volatile boolean migrated;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        migrate();
    }

    public synchronized void migrate() {
        if (migrated) {
            return;
        }
        FluentConfiguration configuration = Flyway.configure(getClass().getClassLoader());
        config.databaseSchema().ifPresent(schema -> configuration.schemas(schema).defaultSchema(schema));
        Flyway flyway = configuration
                .dataSource(dataSource)
                .locations(locations(database.isPostgres()))
                .loggers("org.flywaydb.core.internal.logging.javautil.JavaUtilLogCreator")
                .cleanDisabled(!config.cleanDatabaseOnStart())
                .load();
        if (config.cleanDatabaseOnStart()) {
            LOG.warning("alongside.db.cleanOnStart is set: dropping all objects of the schema (test servers only)");
            flyway.clean();
        }
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("Database schema up to date (" + applied + " migrations applied now)");
        ensureTypeLocks();
        migrated = true;
    }

    /**
     * Where the migrations are: the portable ones, and on PostgreSQL also those only it understands (such as its
     * planner statistics). Versions are numbered across both, so each database applies them in one order.
     */
    static String[] locations(boolean postgres) {
        return postgres ? new String[] {"classpath:db/migration", "classpath:db/postgresql"}
                : new String[] {"classpath:db/migration"};
    }

    public boolean isMigrated() {
        return migrated;
    }

    private void ensureTypeLocks() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO type_lock (res_type) SELECT CAST(? AS VARCHAR(64)) WHERE NOT EXISTS "
                             + "(SELECT 1 FROM type_lock WHERE res_type = ?)")) {
            for (String type : registry.resourceTypes()) {
                insert.setString(1, type);
                insert.setString(2, type);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare conditional-write locks", e);
        }
    }
}
