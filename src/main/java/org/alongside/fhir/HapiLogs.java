package org.alongside.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps HAPI's logging of refused requests out of the server log: those messages quote request values (search
 * values, ids, names). Errors that matter are logged by {@link ErrorMasking}, with an incident id and no message.
 * The loggers are held here: java.util.logging forgets the settings of a logger nobody references.
 */
final class HapiLogs {

    /** Per-request warnings of HAPI's exception handling (4xx answers). */
    private static final Logger EXCEPTION_HANDLING =
            Logger.getLogger("ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor");
    /** HAPI 8 logs every exception an interceptor throws at ERROR, message included, even a deliberate 4xx answer. */
    private static final Logger INTERCEPTORS = Logger.getLogger("ca.uhn.fhir.interceptor.executor.BaseInterceptorService");

    private HapiLogs() {
    }

    static void quiet() {
        EXCEPTION_HANDLING.setLevel(Level.SEVERE);
        // FHIR answers thrown on purpose (RequestGuard, access checks, OperationParameters...) are not errors; anything
        // else an interceptor throws is still logged
        INTERCEPTORS.setFilter(log -> !(log.getThrown() instanceof BaseServerResponseException));
    }
}
