package org.alongside.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Runs every {@link WriteCheck} bean in a fixed order: rules that complete the resource first, profile
 * validation last, so that what is validated is exactly what gets stored.
 */
@ApplicationScoped
public class WriteChecks {

    @Inject
    @Any
    Instance<WriteCheck> checks;

    private volatile List<WriteCheck> ordered;

    public void apply(IBaseResource resource) {
        for (WriteCheck check : ordered()) {
            check.check(resource);
        }
    }

    private List<WriteCheck> ordered() {
        if (ordered == null) {
            ordered = checks.stream()
                    .sorted(Comparator.comparingInt(WriteChecks::rank).thenComparing(c -> c.getClass().getName()))
                    .toList();
        }
        return ordered;
    }

    /** Access goes first (403 before any rule), validation last; everything else keeps its name order. */
    private static int rank(WriteCheck check) {
        String name = check.getClass().getSimpleName();
        return name.startsWith("Access") ? -1 : name.contains("Validation") ? 1 : 0;
    }
}
