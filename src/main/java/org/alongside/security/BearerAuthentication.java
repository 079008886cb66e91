package org.alongside.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Lets a request into the FHIR endpoint only with a bearer token Liberty's mpJwt has verified (signature,
 * issuer, expiry). The CapabilityStatement and SMART discovery stay open, as SMART requires. Everything else
 * without a valid token gets 401 with an OperationOutcome. The verified caller is handed on as a request
 * attribute ({@link #CALLER}).
 */

public class BearerAuthentication extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String CALLER = Caller.class.getName();

    @Inject
    transient FhirContext fhirContext;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isOpen(request)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = callerOf(request.getUserPrincipal());
        if (caller.isEmpty()) {
            boolean tokenSent = request.getHeader("Authorization") != null;
            response.setHeader("WWW-Authenticate", tokenSent
                    ? "Bearer error=\"invalid_token\", error_description=\"The access token is invalid or expired\""
                    : "Bearer");
            writeOutcome(response, HttpServletResponse.SC_UNAUTHORIZED, OperationOutcome.IssueType.LOGIN,
                    tokenSent ? "The access token is invalid, expired or not from a trusted issuer"
                            : "Authentication required: send a bearer token (Authorization: Bearer <token>)");
            return;
        }
        request.setAttribute(CALLER, caller.get());
        RequestAccess.begin(new RequestAccess(caller.get()));
        try {
            chain.doFilter(request, response);
        } finally {
            RequestAccess.end();
        }
    }

    private static boolean isOpen(HttpServletRequest request) {
        // the path below /fhir, whichever servlet serves it (discovery has its own)
        String path = (request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()))
                .substring("/fhir".length());
        String method = request.getMethod();
        boolean safe = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        return safe && (path.equals("/metadata") || path.equals("/.well-known/smart-configuration")
                || path.isEmpty() && "OPTIONS".equals(method));
    }

    static Optional<Caller> callerOf(Principal principal) {
        if (!(principal instanceof JsonWebToken)) {
            return Optional.empty();
        }
        JsonWebToken jwt = (JsonWebToken) principal;
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (jwt.getGroups() != null) {
            for (String group : jwt.getGroups()) {
                Role.fromClaim(group).ifPresent(roles::add);
            }
        }
        return Optional.of(new Caller(jwt.getSubject(), roles, ScopeSet.parse(stringClaim(jwt, "scope")),
                Optional.ofNullable(stringClaim(jwt, "fhirUser")), Optional.ofNullable(stringClaim(jwt, "patient")),
                Optional.ofNullable(stringClaim(jwt, "client_id")).orElse(Optional.ofNullable(stringClaim(jwt, "azp"))
                        .orElse("unknown")),
                Optional.ofNullable(stringClaim(jwt, "purpose_of_use")).orElse("TREAT")));
    }

    private static String stringClaim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value == null) {
            return null;
        }
        if (value instanceof jakarta.json.JsonString) {
            return ((jakarta.json.JsonString) value).getString();
        }
        return value.toString();
    }

    private void writeOutcome(HttpServletResponse response, int status, OperationOutcome.IssueType type,
                              String text) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(text);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=utf-8");
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }
}
