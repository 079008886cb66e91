package org.alongside.fhir;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which HTTP methods each shape of FHIR URL accepts, so that a wrong method gets 405 with an Allow header
 * instead of a generic 400. Pure: decides from the path alone.
 */
final class AllowedMethods {

    private static final Set<String> READ_ONLY = Set.of("GET", "HEAD");
    private static final Set<String> OPERATION = Set.of("GET", "HEAD", "POST");
    /** On the type, PUT, PATCH and DELETE are conditional ({@code Type?search}). */
    private static final Set<String> TYPE = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> INSTANCE = Set.of("GET", "HEAD", "PUT", "PATCH", "DELETE");
    private static final Set<String> SEARCH = Set.of("GET", "HEAD", "POST");
    /** Bulk Data: kick-off by GET only (a HEAD would start a job); the status URL is polled and cancelled. */
    private static final Map<String, Set<String>> BULK_EXPORT = Map.of(
            "$export", Set.of("GET"),
            "$export-poll-status", Set.of("GET", "DELETE"),
            "$export-file", Set.of("GET"));
    /** The base takes transaction and batch Bundles; OPTIONS there answers the CapabilityStatement. */
    private static final Set<String> BASE = Set.of("POST", "OPTIONS");

    private AllowedMethods() {
    }

    /** The methods the path accepts (OPTIONS aside, which means the CapabilityStatement at the base). */
    static Set<String> forPath(String requestPath) {
        return forPath(requestPath, Set.of());
    }

    /** As {@link #forPath(String)}, where resources of {@code readOnlyTypes} can only be read and searched. */
    static Set<String> forPath(String requestPath, Set<String> readOnlyTypes) {
        Set<String> allowed = shapeOf(requestPath);
        String type = requestPath.replaceAll("^/+", "").split("/")[0];
        if (readOnlyTypes.contains(type) && !allowed.isEmpty() && !requestPath.contains("$")) {
            return allowed.contains("POST") && requestPath.endsWith("_search") ? SEARCH : READ_ONLY;
        }
        return allowed;
    }

    private static Set<String> shapeOf(String requestPath) {
        List<String> segments = List.of(requestPath.replaceAll("^/+|/+$", "").split("/+"));
        if (segments.size() == 1 && segments.get(0).isEmpty()) {
            return BASE;
        }
        String first = segments.get(0);
        String last = segments.get(segments.size() - 1);
        if (last.startsWith("$")) {
            return BULK_EXPORT.getOrDefault(last, OPERATION);
        }
        if (segments.size() == 1) {
            return first.equals("metadata") || first.equals("_history") ? READ_ONLY : TYPE;
        }
        String second = segments.get(1);
        return switch (segments.size()) {
            case 2 -> second.equals("_search") ? SEARCH : second.equals("_history") ? READ_ONLY : INSTANCE;
            case 3, 4 -> segments.get(2).equals("_history") ? READ_ONLY : Set.of();
            default -> Set.of();
        };
    }

    static boolean allows(String requestPath, String method) {
        return allows(forPath(requestPath), method);
    }

    static boolean allows(Set<String> allowed, String method) {
        return method.equals("OPTIONS") || allowed.contains(method);
    }
}
