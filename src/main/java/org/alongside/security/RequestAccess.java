package org.alongside.security;

import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Whose work runs on this thread: the caller of the request being served, with what is worked out about them once
 * per request (the FHIR references that stand for them and the patients they reach), or the server itself for
 * internal work started explicitly with {@link #asServer}. Held in a thread-local, so write checks deep in a
 * transaction see it too. Nothing here defaults to "allowed": without one of the two, policy checks fail.
 */
public final class RequestAccess {

    private static final ThreadLocal<RequestAccess> CURRENT = new ThreadLocal<>();
    private static final RequestAccess SERVER = new RequestAccess(null);

    private final Caller caller;
    private Set<String> members;
    private PatientScope reach;

    RequestAccess(Caller caller) {
        this.caller = caller;
    }

    /** The caller; null when the server itself is at work. */
    public Caller caller() {
        return caller;
    }

    public boolean isServer() {
        return this == SERVER;
    }

    Set<String> members(Function<Caller, Set<String>> resolver) {
        if (members == null) {
            members = resolver.apply(caller);
        }
        return members;
    }

    PatientScope reach(Function<RequestAccess, PatientScope> resolver) {
        if (reach == null) {
            reach = resolver.apply(this);
        }
        return reach;
    }

    /** Who is at work on this thread, or null when nobody said (a policy check then refuses). */
    public static RequestAccess current() {
        return CURRENT.get();
    }

    /** Runs work as the server (background delivery, internal rule evaluation), then restores what was there. */
    public static <T> T asServer(Supplier<T> work) {
        return runAs(SERVER, work);
    }

    /**
     * Runs work as a caller that an entry point outside the FHIR endpoint verified itself (the CDS Hooks service,
     * from the EHR's signed JWT), then restores what was there: the same rules apply as to a REST caller.
     */
    public static <T> T asCaller(Caller caller, Supplier<T> work) {
        return runAs(new RequestAccess(caller), work);
    }

    private static <T> T runAs(RequestAccess access, Supplier<T> work) {
        RequestAccess outer = CURRENT.get();
        CURRENT.set(access);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    static void begin(RequestAccess access) {
        CURRENT.set(access);
    }

    static void end() {
        CURRENT.remove();
    }
}
