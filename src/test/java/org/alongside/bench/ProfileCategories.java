package org.alongside.bench;

import java.util.List;

/**
 * Names the part of a request a profiled stack belongs to, for the "where the time goes" table of issue 14. A stack
 * is given leaf first, one {@code class.method} per frame. Everything the audit does (its event, its rows, its SQL and
 * its own transaction) counts as audit; otherwise the innermost Alongside frame says whether the time is a token
 * check, an access check or a validation; what is left is classed by the libraries on the stack. Filters that only
 * pass a request on ({@code doFilter}) are on every stack and name nothing.
 */
final class ProfileCategories {

    enum Category {
        AUDIT("audit (event, its rows, its transaction)"),
        TOKEN("token check"),
        ACCESS("access and consent checks"),
        VALIDATION("profile validation"),
        COMMIT("commit of the request's transaction"),
        SQL("SQL (Hibernate, JDBC driver, embedded database)"),
        PARSING("FHIR parsing and serialising"),
        OTHER("everything else (HTTP, HAPI routing, search indexing, app logic)");

        final String label;

        Category(String label) {
            this.label = label;
        }
    }

    private ProfileCategories() {
    }

    static Category of(List<String> frames) {
        if (frames.stream().anyMatch(f -> !isPassThrough(f)
                && (f.startsWith("org.alongside.audit.") || f.startsWith("org.alongside.persistence.JpaAuditStore")))) {
            return Category.AUDIT;
        }
        String innermost = frames.stream().filter(f -> f.startsWith("org.alongside.") && !isPassThrough(f))
                .findFirst().orElse("");
        if (innermost.startsWith("org.alongside.security.TokenVerifier")
                || innermost.startsWith("org.alongside.security.BearerAuthentication")) {
            return Category.TOKEN;
        }
        if (innermost.startsWith("org.alongside.security.") || innermost.startsWith("org.alongside.interaction.WriteCheck")) {
            return Category.ACCESS;
        }
        if (innermost.startsWith("org.alongside.conformance.ProfileValidat")) {
            return Category.VALIDATION;
        }
        if (frames.stream().anyMatch(ProfileCategories::isCommit)) {
            return Category.COMMIT;
        }
        if (any(frames, "org.postgresql.", "org.h2.", "org.hibernate.", "com.ibm.ws.rsadapter.", "com.ibm.ejs.j2c.")) {
            return Category.SQL;
        }
        if (any(frames, "ca.uhn.fhir.parser.", "com.fasterxml.jackson.")) {
            return Category.PARSING;
        }
        return Category.OTHER;
    }

    /** A filter's doFilter: it wraps every request, whatever the time inside it is spent on. */
    private static boolean isPassThrough(String frame) {
        return frame.endsWith(".doFilter");
    }

    private static boolean isCommit(String frame) {
        return (frame.startsWith("com.ibm.tx.") || frame.startsWith("com.ibm.ws.tx.")
                || frame.startsWith("com.ibm.ws.transaction.")) && frame.toLowerCase(java.util.Locale.ROOT).contains("commit");
    }

    private static boolean any(List<String> frames, String... prefixes) {
        for (String frame : frames) {
            for (String prefix : prefixes) {
                if (frame.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
