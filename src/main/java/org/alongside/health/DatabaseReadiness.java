package org.alongside.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;
import org.alongside.persistence.DatabaseMigrator;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the schema is migrated and the database answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    @Inject
    DatabaseMigrator migrator;

    @Override
    public HealthCheckResponse call() {
        boolean up;
        String detail;
        try (Connection connection = dataSource.getConnection()) {
            up = migrator.isMigrated() && connection.isValid(2);
            detail = migrator.isMigrated() ? connection.getMetaData().getDatabaseProductName() : "migrating";
        } catch (Exception e) {
            up = false;
            detail = e.getClass().getSimpleName();
        }
        return HealthCheckResponse.named("database").status(up).withData("database", detail).build();
    }
}
