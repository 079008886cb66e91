package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization-code flow of the development authorization server: SMART App Launch 2 with PKCE (S256
 * only), public clients, EHR launch contexts registered by a simulated EHR. State lives in memory, which is
 * enough for one development server; codes are single use and expire after a minute.
 */
@ApplicationScoped
public class DevAuthorizationFlow {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CODE_SECONDS = 60;
    private static final long LAUNCH_SECONDS = 3600;

    private record LaunchContext(Optional<String> patient, Optional<String> encounter, Instant expires) {
    }

    private record Grant(String clientId, String redirectUri, String codeChallenge, String scope, Role role,
                         Optional<String> fhirUser, Optional<String> patient, Optional<String> encounter,
                         String audience, Instant expires) {
    }

    @Inject
    SecurityConfig config;

    @Inject
    DevAuthority authority;

    private final Map<String, LaunchContext> launches = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    String registerLaunch(Optional<String> patient, Optional<String> encounter) {
        purgeExpired();
        String id = randomToken();
        launches.put(id, new LaunchContext(patient, encounter, Instant.now().plusSeconds(LAUNCH_SECONDS)));
        return id;
    }

    void showSignIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> problem = checkAuthorizeRequest(request);
        if (problem.isPresent()) {
            DevAuthServlet.writeError(response, "invalid_request", problem.get());
            return;
        }
        response.setContentType("text/html;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(SignInPage.render(request, List.of("response_type", "client_id", "redirect_uri",
                "scope", "state", "aud", "code_challenge", "code_challenge_method", "launch")));
    }

    void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> problem = checkAuthorizeRequest(request);
        Optional<Role> role = Role.fromClaim(Optional.ofNullable(request.getParameter("role")).orElse(""));
        if (problem.isEmpty() && role.isEmpty()) {
            problem = Optional.of("Choose a role");
        }
        if (problem.isPresent()) {
            DevAuthServlet.writeError(response, "invalid_request", problem.get());
            return;
        }
        Optional<LaunchContext> launch = Optional.ofNullable(request.getParameter("launch")).map(launches::get);
        Optional<String> patient = launch.flatMap(LaunchContext::patient)
                .or(() -> parameter(request, "patient"));
        Optional<String> practitioner = parameter(request, "practitioner")
                .map(id -> id.contains("/") ? id : "Practitioner/" + id);
        String code = randomToken();
        // the audience is minted as the app asks, as an authorization server serving several resource servers
        // does; this server's token check refuses tokens for any other
        codes.put(code, new Grant(request.getParameter("client_id"), request.getParameter("redirect_uri"),
                request.getParameter("code_challenge"), request.getParameter("scope"), role.get(), practitioner,
                patient, launch.flatMap(LaunchContext::encounter),
                Optional.ofNullable(request.getParameter("aud")).orElse(config.audience()),
                Instant.now().plusSeconds(CODE_SECONDS)));
        String redirect = request.getParameter("redirect_uri");
        response.sendRedirect(redirect + (redirect.contains("?") ? "&" : "?") + "code=" + DevAuthServlet.urlEncode(code)
                + parameter(request, "state").map(s -> "&state=" + DevAuthServlet.urlEncode(s)).orElse(""));
    }

    void exchangeCode(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"authorization_code".equals(request.getParameter("grant_type"))) {
            DevAuthServlet.writeError(response, "unsupported_grant_type", "Only authorization_code is supported");
            return;
        }
        Grant grant = Optional.ofNullable(request.getParameter("code")).map(codes::remove).orElse(null);
        if (grant == null || grant.expires().isBefore(Instant.now())
                || !grant.clientId().equals(request.getParameter("client_id"))
                || !grant.redirectUri().equals(request.getParameter("redirect_uri"))
                || !pkceMatches(grant.codeChallenge(), request.getParameter("code_verifier"))) {
            DevAuthServlet.writeError(response, "invalid_grant",
                    "The code is unknown, used, expired, or does not match the client, redirect URI or PKCE verifier");
            return;
        }
        String subject = grant.fhirUser().orElse(grant.role().claimValue());
        TokenClaims claims = new TokenClaims(subject, grant.role(), grant.scope(), grant.fhirUser(), grant.patient(),
                grant.encounter(), grant.clientId(), config.devTokenSeconds(), Optional.empty());
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("access_token", authority.mint(claims, grant.audience()))
                .add("token_type", "Bearer")
                .add("expires_in", config.devTokenSeconds())
                .add("scope", grant.scope())
                .add("id_token", authority.idToken(claims))
                .add("need_patient_banner", true);
        grant.patient().ifPresent(p -> body.add("patient", p));
        grant.encounter().ifPresent(e -> body.add("encounter", e));
        DevAuthServlet.writeJson(response, 200, body.build().toString());
    }

    private Optional<String> checkAuthorizeRequest(HttpServletRequest request) {
        purgeExpired();
        if (!"code".equals(request.getParameter("response_type"))) {
            return Optional.of("response_type must be code");
        }
        String clientId = request.getParameter("client_id");
        if (clientId == null || clientId.isBlank()) {
            return Optional.of("client_id is required");
        }
        String redirect = request.getParameter("redirect_uri");
        if (redirect == null || !(redirect.startsWith("http://") || redirect.startsWith("https://"))) {
            return Optional.of("redirect_uri must be an absolute http(s) URL");
        }
        if (request.getParameter("scope") == null) {
            return Optional.of("scope is required");
        }
        if (!"S256".equals(request.getParameter("code_challenge_method"))
                || request.getParameter("code_challenge") == null) {
            return Optional.of("PKCE is required: code_challenge with code_challenge_method S256");
        }
        String launch = request.getParameter("launch");
        if (launch != null && !launches.containsKey(launch)) {
            return Optional.of("Unknown or expired launch");
        }
        return Optional.empty();
    }

    private static boolean pkceMatches(String challenge, String verifier) {
        if (verifier == null) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void purgeExpired() {
        Instant now = Instant.now();
        codes.values().removeIf(grant -> grant.expires().isBefore(now));
        launches.values().removeIf(launch -> launch.expires().isBefore(now));
    }

    private static Optional<String> parameter(HttpServletRequest request, String name) {
        return Optional.ofNullable(request.getParameter(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
