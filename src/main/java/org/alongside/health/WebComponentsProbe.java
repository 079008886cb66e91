package org.alongside.health;

import jakarta.enterprise.inject.spi.AnnotatedField;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.Readiness;

/**
 * At start, checks what the container will need when the first request arrives (see {@link ComponentProbe}): the
 * platform APIs and, for each of Alongside's filters and servlets, its class and injection points. Tells
 * {@link WebReadiness} what it found and logs each problem once, so an operator sees it without sending a request.
 */
@WebListener
public class WebComponentsProbe implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(WebComponentsProbe.class.getName());

    @Inject
    BeanManager beans;

    // @Readiness is a qualifier: the check is not a @Default bean
    @Inject
    @Readiness
    WebReadiness readiness;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ClassLoader loader = context.getClassLoader();
        Map<String, String> problems = new LinkedHashMap<>();
        for (String feature : ComponentProbe.missingFeatures(loader)) {
            problems.put("missing feature " + feature, "add <feature>" + feature + "</feature> to the server");
        }
        Map<String, String> components = new LinkedHashMap<>();
        context.getFilterRegistrations().forEach((name, filter) -> components.put("filter " + name, filter.getClassName()));
        context.getServletRegistrations().forEach((name, servlet) -> components.put("servlet " + name, servlet.getClassName()));
        components.forEach((component, className) -> {
            // the container's own components (default servlet, JSP) are the host's business
            if (className != null && className.startsWith("org.alongside.")) {
                ComponentProbe.problemOf(className, loader, this::validateInjection)
                        .ifPresent(problem -> problems.put(component, problem));
            }
        });
        problems.forEach((component, problem) -> LOG.severe("Alongside cannot serve: " + component + ": " + problem));
        readiness.probed(problems);
    }

    /** Throws as CDI would when the field's injection point cannot be satisfied (no bean, ambiguous, unproxyable). */
    private void validateInjection(Field field) {
        for (AnnotatedField<?> annotated : beans.createAnnotatedType(field.getDeclaringClass()).getFields()) {
            if (annotated.getJavaMember().equals(field)) {
                beans.validate(beans.createInjectionPoint(annotated));
            }
        }
    }
}
