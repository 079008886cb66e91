package org.alongside.health;

import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether the container will be able to make the application's web components. Liberty creates a filter (and, by
 * default, a servlet) only when the first request needs it, so a filter whose class cannot be linked, or whose
 * injection point does not resolve, would fail every request while the application counts as started: the failure
 * of issue 16 (a filter field of a type from a feature the server lacked). Probing the same things at start lets
 * readiness say so before any request arrives. Pure: the caller supplies the class loader and the injection check.
 */
final class ComponentProbe {

    /**
     * Platform APIs the application uses and the Liberty feature that provides each. When one is not visible to the
     * application, the feature is missing from the server: readiness names it, so the fix is one line of server.xml.
     * The embedding guide's feature list is checked against these features (ComponentProbeTest).
     */
    static final Map<String, String> PLATFORM_APIS = Map.of(
            "jakarta.servlet.http.HttpFilter", "servlet-6.0",
            "jakarta.enterprise.inject.spi.BeanManager", "cdi-4.0",
            "jakarta.json.Json", "jsonp-2.1",
            "jakarta.persistence.EntityManager", "persistenceContainer-3.1",
            "jakarta.enterprise.concurrent.ManagedScheduledExecutorService", "concurrent-3.0",
            "org.eclipse.microprofile.config.Config", "mpConfig-3.1",
            "org.eclipse.microprofile.health.HealthCheck", "mpHealth-4.0");

    private static final int MAX_DETAIL = 300;

    private ComponentProbe() {
    }

    /** The features whose APIs the loader cannot see, e.g. {@code jsonp-2.1}; empty when every one is there. */
    static List<String> missingFeatures(ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        PLATFORM_APIS.forEach((api, feature) -> {
            try {
                Class.forName(api, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(feature);
            }
        });
        missing.sort(null);
        return missing;
    }

    /**
     * What stops the container from making the component: its class (and its superclasses) must load with every
     * field and method signature linked, and each {@code @Inject} field must pass {@code injection}, which throws when
     * it cannot be satisfied. Empty when nothing does.
     */
    static Optional<String> problemOf(String className, ClassLoader loader, Consumer<Field> injection) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                c.getDeclaredMethods();
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(Inject.class)) {
                        injection.accept(field);
                    }
                }
            }
            return Optional.empty();
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // class names and CDI's explanation only: nothing from a request or a record is involved at start
            String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return Optional.of(detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
        }
    }
}
