package org.alongside.security;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The development authorization server (SMART App Launch with PKCE, plus a token shortcut for curl and
 * tests), active only when {@code alongside.auth.dev-mode} is true; otherwise every URL here is 404.
 * <ul>
 *   <li>{@code GET /auth/jwks}: the public signing key, which TokenVerifier checks tokens against;</li>
 *   <li>{@code GET|POST /auth/dev-token?role=&fhirUser=&scope=&patient=&clientId=&purpose=&expiresIn=}: a token
 *       for one role;</li>
 *   <li>{@code GET|POST /auth/cds-client-token?aud=&clientId=}: a CDS Hooks client JWT for one call of the CDS
 *       service at {@code aud}, as an EHR would sign it (docs/ehr-integration.md);</li>
 *   <li>{@code GET /auth/authorize}: a sign-in page (pick a role and a Practitioner); its form posts back and
 *       redirects to the client with a code;</li>
 *   <li>{@code POST /auth/token}: code + PKCE verifier for an access token and an id_token;</li>
 *   <li>{@code POST /auth/launch}: a simulated EHR registers a launch context ({@code patient}, {@code encounter}).</li>
 * </ul>
 */
@WebServlet(urlPatterns = "/auth/*")
public class DevAuthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient SecurityConfig config;

    @Inject
    transient DevAuthority authority;

    @Inject
    transient DevAuthorizationFlow flow;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!config.devMode()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        switch (path(request)) {
            case "/jwks":
                writeJson(response, 200, authority.publicKeySet());
                break;
            case "/dev-token":
                devToken(request, response);
                break;
            case "/cds-client-token":
                cdsClientToken(request, response);
                break;
            case "/authorize":
                flow.showSignIn(request, response);
                break;
            default:
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!config.devMode()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        switch (path(request)) {
            case "/dev-token":
                devToken(request, response);
                break;
            case "/cds-client-token":
                cdsClientToken(request, response);
                break;
            case "/authorize":
                flow.signIn(request, response);
                break;
            case "/token":
                flow.exchangeCode(request, response);
                break;
            case "/launch":
                launch(request, response);
                break;
            default:
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private void devToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Role> role = Role.fromClaim(Optional.ofNullable(request.getParameter("role")).orElse(""));
        if (role.isEmpty()) {
            writeError(response, "invalid_request",
                    "role must be one of peer-specialist, supervisor, clinician, ehr-system, admin, program-director");
            return;
        }
        String scope = Optional.ofNullable(request.getParameter("scope"))
                .orElse(role.get() == Role.EHR_SYSTEM ? "system/*.cruds" : "user/*.cruds");
        long lifetime = config.devTokenSeconds();
        String expiresIn = request.getParameter("expiresIn");
        if (expiresIn != null) {
            try {
                // may be negative: tests ask for an already expired token
                lifetime = Math.max(-86_400, Math.min(86_400, Long.parseLong(expiresIn)));
            } catch (NumberFormatException e) {
                writeError(response, "invalid_request", "expiresIn must be a number of seconds");
                return;
            }
        }
        Optional<String> fhirUser = Optional.ofNullable(request.getParameter("fhirUser")).filter(s -> !s.isBlank());
        String subject = fhirUser.orElse(role.get().claimValue());
        TokenClaims claims = new TokenClaims(subject, role.get(), scope, fhirUser,
                Optional.ofNullable(request.getParameter("patient")).filter(s -> !s.isBlank()), Optional.empty(),
                Optional.ofNullable(request.getParameter("clientId")).orElse("alongside-dev-token"), lifetime,
                Optional.ofNullable(request.getParameter("purpose")).filter(s -> !s.isBlank()));
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("access_token", authority.mint(claims, config.audience()))
                .add("token_type", "Bearer").add("expires_in", lifetime).add("scope", scope);
        writeJson(response, 200, body.build().toString());
    }

    private void cdsClientToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String audience = request.getParameter("aud");
        if (audience == null || !(audience.startsWith("http://") || audience.startsWith("https://"))) {
            writeError(response, "invalid_request", "aud must be the URL of the CDS service to call");
            return;
        }
        String clientId = Optional.ofNullable(request.getParameter("clientId")).filter(s -> !s.isBlank())
                .orElse("alongside-dev-ehr");
        long lifetime = Math.min(300, config.devTokenSeconds()); // CDS Hooks: at most five minutes
        writeJson(response, 200, Json.createObjectBuilder()
                .add("jwt", authority.mintCdsClient(clientId, audience, lifetime))
                .add("expires_in", lifetime).build().toString());
    }

    private void launch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObject context;
        try (JsonReader reader = Json.createReader(request.getReader())) {
            context = reader.readObject();
        } catch (RuntimeException e) {
            writeError(response, "invalid_request", "Body must be a JSON object with patient and/or encounter ids");
            return;
        }
        String launch = flow.registerLaunch(Optional.ofNullable(context.getString("patient", null)),
                Optional.ofNullable(context.getString("encounter", null)));
        writeJson(response, 200, Json.createObjectBuilder().add("launch", launch).build().toString());
    }

    static String path(HttpServletRequest request) {
        return request.getPathInfo() == null ? "" : request.getPathInfo();
    }

    static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }

    static void writeError(HttpServletResponse response, String error, String description) throws IOException {
        writeJson(response, 400, Json.createObjectBuilder().add("error", error)
                .add("error_description", description).build().toString());
    }

    static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
