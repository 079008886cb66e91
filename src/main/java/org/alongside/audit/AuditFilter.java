package org.alongside.audit;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alongside.security.BearerAuthentication;
import org.alongside.security.Caller;
import org.alongside.store.StoreAvailability;

/**
 * The outermost filter on the FHIR endpoint and the CDS Hooks service but for the database-outage filter (web.xml
 * orders it before authentication), so that every request is audited once, including those refused for want of a valid
 * token. The CapabilityStatement,
 * SMART discovery and CDS Hooks discovery are public documents and not audited.
 */
public class AuditFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AuditFilter.class.getName());

    @Inject
    transient AuditTrail trail;

    @Inject
    transient StoreAvailability store;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/fhir/metadata") || path.equals("/fhir/.well-known/smart-configuration")
                || path.equals("/cds-services")) {
            chain.doFilter(request, response);
            return;
        }
        String requestId = request.getHeader("X-Request-ID");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            requestId = UUID.randomUUID().toString();
        }
        // HAPI echoes and logs the same id
        AuditNotes notes = new AuditNotes(requestId, request.getRemoteAddr(), request.getMethod());
        if (path.startsWith("/cds-services/")) {
            // a CDS Hooks call is like an operation: each read it makes for its cards is an event of its own
            notes.interaction = "operation";
            notes.action = "E";
            notes.operation = "cds-hooks " + path.substring("/cds-services/".length());
            notes.perInteraction = true;
        }
        AuditNotes.begin(notes);
        try {
            chain.doFilter(new RequestIdRequest(request, requestId), response);
        } finally {
            AuditNotes.end();
            try {
                // refused, failed, or answered outside HAPI's resource responses; not while the trail's database is
                // known to be out of reach (the request then failed with 503): the write would wait out the driver's
                // timeouts only to fail, and keep the 503 from the client that long
                if (!notes.recorded && !store.unreachable()) {
                    trail.completed(notes, (Caller) request.getAttribute(BearerAuthentication.CALLER),
                            response.getStatus());
                }
            } catch (RuntimeException e) {
                // never lose the answer over the audit; but say so, without request details
                LOG.log(Level.SEVERE, "Could not record an audit event (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** Makes sure HAPI sees the request id the audit event records. */
    private static final class RequestIdRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final String requestId;

        RequestIdRequest(HttpServletRequest request, String requestId) {
            super(request);
            this.requestId = requestId;
        }

        @Override
        public String getHeader(String name) {
            return "X-Request-ID".equalsIgnoreCase(name) ? requestId : super.getHeader(name);
        }
    }
}
