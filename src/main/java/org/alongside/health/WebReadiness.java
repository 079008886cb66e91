package org.alongside.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the start-up probe ({@link WebComponentsProbe}) found every platform API and every web component (the
 * FHIR servlet, its filters, the app's servlets) makeable. DOWN before the probe ran, and DOWN naming each missing
 * feature or broken component after: an application whose filters cannot be made must not look ready because its
 * database answers.
 */
@Readiness
@ApplicationScoped
public class WebReadiness implements HealthCheck {

    private volatile Map<String, String> problems;

    /** The probe's findings: component (or "missing feature") to what is wrong; empty when all is well. */
    void probed(Map<String, String> found) {
        problems = Map.copyOf(found);
    }

    @Override
    public HealthCheckResponse call() {
        return responseFor(problems);
    }

    /** The answer for the probe's findings ({@code null}: the probe has not run yet). */
    static HealthCheckResponse responseFor(Map<String, String> problems) {
        // the constructor, not the builder: the same answer without a provider lookup, so a unit test can check it
        if (problems == null) {
            return new HealthCheckResponse("web", Status.DOWN, Optional.of(Map.of("web", "starting")));
        }
        if (problems.isEmpty()) {
            return new HealthCheckResponse("web", Status.UP, Optional.of(Map.of("web", "filters and servlets ready")));
        }
        return new HealthCheckResponse("web", Status.DOWN, Optional.of(new TreeMap<String, Object>(problems)));
    }
}
