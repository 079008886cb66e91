package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.alongside.health.DatabaseAvailability;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * First on the FHIR endpoint and the CDS Hooks service (web.xml). While the database cannot be reached
 * ({@link DatabaseAvailability}), requests are answered 503 with Retry-After at once: the audit and the request itself
 * would each wait out the driver's timeouts first, so that every answer of an outage took tens of seconds and held a
 * thread and a pool slot. Such a request reads and writes nothing and is not audited (the audit trail is in the same
 * database); the count is logged when the database answers again. An outage that escapes a servlet (the CDS Hooks
 * service has no HAPI error handling around it) is answered 503 here too, rather than 500 by the container.
 */
public class DatabaseOutageFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient DatabaseAvailability availability;

    @Inject
    transient FhirContext fhirContext;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!availability.admits()) {
            unavailable(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!availability.report(e) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            unavailable(response);
        }
    }

    private void unavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", ErrorMasking.RETRY_AFTER_SECONDS);
        ServletOutcomes.write(response, fhirContext, 503, OperationOutcome.IssueType.TRANSIENT,
                ErrorMasking.UNAVAILABLE);
    }
}
