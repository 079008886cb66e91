package org.alongside.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The one place where failures become client answers. FHIR errors pass through unchanged; a concurrent
 * write that lost a database race becomes 409; anything else becomes a 500 that names only an incident id,
 * while the server log keeps the cause's classes and code locations (never messages, which can quote
 * resource content) under that id. Storage data errors (a value too long for its column) become 400. A database that
 * cannot be reached makes a 503 with Retry-After, which EHR clients retry on.
 */
@Interceptor
public class ErrorMasking {

    private static final Logger LOG = Logger.getLogger(ErrorMasking.class.getName());
    private final Predicate<Throwable> outage;

    /**
     * @param outage says whether a failure means the database cannot be reached, and takes note of it
     *               ({@link org.alongside.health.DatabaseAvailability#report}: later requests are refused at once)
     */
    public ErrorMasking(Predicate<Throwable> outage) {
        this.outage = outage;
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException mask(RequestDetails request, Throwable exception) {
        Throwable cause = unwrap(exception);
        if (cause instanceof BaseServerResponseException fhirError && fhirError.getStatusCode() < 500) {
            return fhirError;
        }
        if (outage.test(exception)) {
            // no incident: nothing is wrong with the request or the server, and the client should simply retry
            return unavailable();
        }
        if (isConcurrencyConflict(cause)) {
            return new ResourceVersionConflictException(
                    "A concurrent request changed the same resource; nothing was written. Retry the request.");
        }
        if (hasSqlState(cause, "22")) {
            return new InvalidRequestException("A value in the request is too long or malformed to be stored;"
                    + " nothing was written.");
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Incident " + incident + " on " + request.getRequestType() + " /"
                + request.getRequestPath() + ":\n" + describeWithoutMessages(cause));
        return new InternalErrorException("Internal error; incident " + incident
                + ". Nothing was written by this request.");
    }

    /** Seconds a client is asked to wait before it retries while the database is unreachable. */
    static final String RETRY_AFTER_SECONDS = "10";

    static final String UNAVAILABLE = "Service temporarily unavailable: the database cannot be reached. Nothing was"
            + " written by this request; retry it after " + RETRY_AFTER_SECONDS + " seconds.";

    /** 503 with Retry-After and an OperationOutcome saying the service is temporarily unavailable. */
    static BaseServerResponseException unavailable() {
        BaseServerResponseException unavailable = new UnclassifiedServerFailureException(503, UNAVAILABLE,
                OperationOutcomes.error(OperationOutcome.IssueType.TRANSIENT, UNAVAILABLE));
        unavailable.addResponseHeader("Retry-After", RETRY_AFTER_SECONDS);
        return unavailable;
    }

    /**
     * The cause chain as exception classes and code locations only. Exception messages are left out: drivers
     * and parsers quote the values they choke on, and those can be patient data.
     */
    static String describeWithoutMessages(Throwable exception) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = exception; t != null; t = t.getCause()) {
            text.append(t == exception ? "" : "caused by ").append(t.getClass().getName()).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 12); i++) {
                text.append("    at ").append(frames[i]).append('\n');
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }

    private static boolean hasSqlState(Throwable exception, String statePrefix) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(statePrefix)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable exception) {
        Throwable current = exception;
        while (current instanceof InternalErrorException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Unique-key violations and lock failures from racing writers, found anywhere in the cause chain. */
    private static boolean isConcurrencyConflict(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.endsWith("ConstraintViolationException") || name.endsWith("OptimisticLockException")
                    || name.endsWith("PessimisticLockException") || name.endsWith("LockTimeoutException")
                    || name.endsWith("SQLIntegrityConstraintViolationException")) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("23") || sql.getSQLState().equals("40001")
                    || sql.getSQLState().equals("40P01") || sql.getSQLState().equals("HYT00"))) {
                return true;
            }
        }
        return false;
    }
}
