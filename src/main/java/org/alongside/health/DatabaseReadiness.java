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

/**
 * Ready when the schema is migrated and the database answers. While requests are refused for an outage
 * ({@link DatabaseAvailability}), DOWN at once: a check would only wait out the driver's timeouts, and the gate's own
 * probe is already asking. A check that meets an outage reports it, so the gate closes even before a request comes.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = "jdbc/alongside")
    DataSource dataSource;

    @Inject
    DatabaseMigrator migrator;

    @Inject
    DatabaseAvailability availability;

    @Override
    public HealthCheckResponse call() {
        if (availability.unreachable()) {
            return HealthCheckResponse.named("database").down().withData("database", "unreachable").build();
        }
        boolean up;
        String detail;
        try (Connection connection = dataSource.getConnection()) {
            up = migrator.isMigrated() && connection.isValid(2);
            detail = migrator.isMigrated() ? connection.getMetaData().getDatabaseProductName() : "migrating";
        } catch (Exception e) {
            up = false;
            detail = availability.report(e) ? "unreachable" : e.getClass().getSimpleName();
        }
        return HealthCheckResponse.named("database").status(up).withData("database", detail).build();
    }
}
