package org.alongside.interaction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Runs the {@link WriteCheck}s in the order {@link WriteCheck.Order} declares in code: rules that complete a
 * resource first, labels next, profile validation last, so what is validated is exactly what is stored. A check
 * bean missing from that order stops the deployment rather than being run in some order or not at all.
 */
@ApplicationScoped
public class WriteChecks {

    @Inject
    @Any
    Instance<WriteCheck> beans;

    @Inject
    WriteCheck.Order order;

    private volatile List<WriteCheck> ordered;

    public void apply(IBaseResource resource) {
        for (WriteCheck check : ordered()) {
            check.check(resource);
        }
    }

    private List<WriteCheck> ordered() {
        if (ordered == null) {
            List<WriteCheck> declared = order.checks();
            Set<Class<?>> declaredClasses = declared.stream().map(WriteChecks::beanClass).collect(Collectors.toSet());
            List<String> undeclared = beans.stream().map(WriteChecks::beanClass)
                    .filter(c -> !declaredClasses.contains(c)).map(Class::getName).toList();
            if (!undeclared.isEmpty()) {
                throw new IllegalStateException("Write checks missing from WriteCheck.Order: " + undeclared);
            }
            ordered = declared;
        }
        return ordered;
    }

    /** The class a CDI bean was declared as (client proxies are subclasses of it). */
    private static Class<?> beanClass(WriteCheck check) {
        Class<?> type = check.getClass();
        while (type.getName().contains("$") && type.getSuperclass() != null && type.getSuperclass() != Object.class) {
            type = type.getSuperclass();
        }
        return type;
    }
}
