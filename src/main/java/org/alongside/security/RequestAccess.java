package org.alongside.security;

import java.util.Set;
import java.util.function.Function;

/**
 * The caller of the request being served, with what is worked out about them once per request: the FHIR
 * references that stand for them (their Practitioner and PractitionerRoles) and the patients they reach.
 * Held in a thread-local for the request's duration, so write checks deep in a transaction see it too.
 */
public final class RequestAccess {

    private static final ThreadLocal<RequestAccess> CURRENT = new ThreadLocal<>();

    private final Caller caller;
    private Set<String> members;
    private PatientScope reach;

    RequestAccess(Caller caller) {
        this.caller = caller;
    }

    public Caller caller() {
        return caller;
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

    /** The request being served on this thread, or null outside a FHIR request (start-up, background work). */
    public static RequestAccess current() {
        return CURRENT.get();
    }

    static void begin(RequestAccess access) {
        CURRENT.set(access);
    }

    static void end() {
        CURRENT.remove();
    }
}
