package org.alongside.security;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Lets a request into the FHIR endpoint only with a bearer token that {@link TokenVerifier} accepts (signature,
 * issuer, audience, expiry). The CapabilityStatement and SMART discovery stay open, as SMART requires. Everything
 * else without a valid token gets 401 with an OperationOutcome. The verified caller is handed on as a request
 * attribute ({@link #CALLER}).
 */

public class BearerAuthentication extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String CALLER = Caller.class.getName();

    private static final String BEARER = "Bearer ";

    @Inject
    transient FhirContext fhirContext;

    @Inject
    transient TokenVerifier verifier;

    @Inject
    transient SecurityConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isOpen(request)) {
            chain.doFilter(request, response);
            return;
        }
        String authorization = request.getHeader("Authorization");
        Optional<Caller> caller = Optional.ofNullable(authorization)
                .filter(header -> header.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .flatMap(header -> verifier.verify(header.substring(BEARER.length()).trim()))
                .map(claims -> callerOf(claims, config.groupsClaim()));
        if (caller.isEmpty()) {
            boolean tokenSent = authorization != null;
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

    static Caller callerOf(JWTClaimsSet claims, String groupsClaim) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String group : strings(claims.getClaim(groupsClaim))) {
            Role.fromClaim(group).ifPresent(roles::add);
        }
        return new Caller(claims.getSubject(), roles, ScopeSet.parse(stringClaim(claims, "scope")),
                Optional.ofNullable(stringClaim(claims, "fhirUser")), Optional.ofNullable(stringClaim(claims, "patient")),
                Optional.ofNullable(stringClaim(claims, "client_id")).orElse(Optional.ofNullable(stringClaim(claims, "azp"))
                        .orElse("unknown")),
                Optional.ofNullable(stringClaim(claims, "purpose_of_use")).orElse("TREAT"));
    }

    /** A claim that is a list of strings or a single string (issuers differ on groups). */
    private static List<String> strings(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value == null ? null : value.toString();
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
