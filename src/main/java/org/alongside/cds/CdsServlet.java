package org.alongside.cds;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.alongside.config.AlongsideConfig;
import org.alongside.security.BearerAuthentication;
import org.alongside.security.Caller;

/**
 * The CDS Hooks 2.0 endpoint ({@link CdsServiceCatalog} lists the services). {@code GET /cds-services} is the discovery document (public: it names no person, like
 * {@code /fhir/metadata}). {@code POST /cds-services/{id}} calls a service and {@code POST
 * /cds-services/{id}/feedback} reports what the user did with its cards; both need the EHR's signed JWT as a bearer
 * token ({@link CdsJwtVerifier}), whose {@code aud} is the URL called, and are audited like FHIR requests.
 */
@WebServlet(urlPatterns = {"/cds-services", "/cds-services/*"})
public class CdsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String BEARER = "Bearer ";

    @Inject
    transient CdsConfig config;

    @Inject
    transient CdsJwtVerifier verifier;

    @Inject
    transient PatientViewService patientView;

    @Inject
    transient ReferralService referral;

    @Inject
    transient ReferralAcceptance acceptance;

    @Inject
    transient AlongsideConfig limits;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (pathInfo(request).isEmpty()) {
            writeJson(response, 200, CdsServiceCatalog.discovery());
        } else {
            response.setHeader("Allow", "POST");
            writeOutcome(response, 405, "not-supported", "A CDS service is called with POST");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = List.of(pathInfo(request).replaceFirst("^/", "").split("/", -1));
        Optional<CdsServiceCatalog.Service> service = CdsServiceCatalog.byId(path.get(0));
        boolean feedback = path.size() == 2 && "feedback".equals(path.get(1));
        if (service.isEmpty() || path.size() > 2 || path.size() == 2 && !feedback) {
            writeOutcome(response, 404, "not-found", "No such CDS service; GET /cds-services lists them");
            return;
        }
        Optional<VerifiedClient> client = authenticate(request);
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            writeOutcome(response, 401, "login", "A CDS Hooks request needs the EHR's signed JWT (Authorization: "
                    + "Bearer), from a trusted issuer, for this service's URL, unexpired and not used before");
            return;
        }
        Caller caller = CdsCaller.of(client.get());
        request.setAttribute(BearerAuthentication.CALLER, caller); // the audit event names the EHR
        Optional<String> body = body(request, response);
        if (body.isEmpty()) {
            return;
        }
        try {
            if (feedback) {
                // an accepted referral suggestion is carried out; other feedback is acknowledged
                for (CdsFeedback.Item item : CdsFeedback.parse(body.get()).items()) {
                    if ("accepted".equals(item.outcome()) && service.get() == CdsServiceCatalog.PEER_REFERRAL) {
                        item.acceptedSuggestions().forEach(id -> acceptance.accept(id, client.get(), caller));
                    }
                }
                writeJson(response, 200, Json.createObjectBuilder().build());
                return;
            }
            CdsRequest hookRequest = CdsRequest.parse(body.get(), service.get().hook());
            Optional<JsonObject> card = service.get() == CdsServiceCatalog.PEER_REFERRAL
                    ? referral.card(hookRequest, client.get(), caller, serverRoot(request))
                    : patientView.card(hookRequest, caller, serverRoot(request));
            writeJson(response, 200, PatientViewCard.response(card.stream().toList()));
        } catch (CdsRequest.Invalid e) {
            writeOutcome(response, 400, "invalid", e.getMessage());
        } catch (BaseServerResponseException e) {
            // a refusal of the pipeline or the assignment (scopes, caseload, no such suggestion): status and reason
            writeOutcome(response, e.getStatusCode(), e.getStatusCode() == 403 ? "forbidden" : "processing",
                    e.getMessage());
        }
    }

    private Optional<VerifiedClient> authenticate(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return verifier.verify(authorization.substring(BEARER.length()).trim(), endpoint(request));
    }

    /** The URL the EHR called, which its JWT's aud must name. */
    private String endpoint(HttpServletRequest request) {
        return config.baseUrl().map(base -> base + pathInfo(request)).orElse(request.getRequestURL().toString());
    }

    /** This server's root as the EHR reaches it: the discovery URL without its last segment. */
    private String serverRoot(HttpServletRequest request) {
        String discovery = config.baseUrl().orElse(request.getRequestURL().toString()
                .substring(0, request.getRequestURL().length() - pathInfo(request).length()));
        return discovery.substring(0, discovery.length() - "/cds-services".length());
    }

    private Optional<String> body(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int max = limits.maxBodyBytes();
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                writeOutcome(response, 413, "too-costly", "The request body is larger than " + max + " bytes");
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static String pathInfo(HttpServletRequest request) {
        return request.getPathInfo() == null ? "" : request.getPathInfo();
    }

    private static void writeJson(HttpServletResponse response, int status, JsonObject json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json.toString());
    }

    /** Failures as FHIR OperationOutcomes, like every other answer of this server. */
    private static void writeOutcome(HttpServletResponse response, int status, String code, String text)
            throws IOException {
        writeJson(response, status, Json.createObjectBuilder().add("resourceType", "OperationOutcome")
                .add("issue", Json.createArrayBuilder().add(Json.createObjectBuilder().add("severity", "error")
                        .add("code", code).add("diagnostics", text))).build());
    }
}
