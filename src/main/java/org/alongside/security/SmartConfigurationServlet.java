package org.alongside.security;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * SMART App Launch discovery ({@code /fhir/.well-known/smart-configuration}): where apps authorize and get
 * tokens, and what this server supports. In development mode the endpoints are Alongside's own /auth.
 */
@WebServlet(urlPatterns = "/fhir/.well-known/smart-configuration")
public class SmartConfigurationServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient SecurityConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ownAuth = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + request.getContextPath() + "/auth";
        boolean dev = config.devMode();
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("issuer", config.issuer())
                .add("jwks_uri", config.jwksUri().orElse(ownAuth + "/jwks"))
                .add("authorization_endpoint", config.authorizationEndpoint().orElse(dev ? ownAuth + "/authorize" : ""))
                .add("token_endpoint", config.tokenEndpoint().orElse(dev ? ownAuth + "/token" : ""))
                .add("grant_types_supported", array("authorization_code", "client_credentials"))
                .add("token_endpoint_auth_methods_supported", array("none", "private_key_jwt"))
                .add("code_challenge_methods_supported", array("S256"))
                .add("response_types_supported", array("code"))
                .add("scopes_supported", array("openid", "fhirUser", "launch", "launch/patient", "launch/encounter",
                        "patient/*.rs", "user/*.cruds", "system/*.rs", "system/*.cruds", "patient/*.read",
                        "user/*.read", "user/*.write"))
                .add("capabilities", array("launch-ehr", "launch-standalone", "client-public",
                        "client-confidential-asymmetric", "context-ehr-patient", "context-ehr-encounter",
                        "context-standalone-patient", "permission-v1", "permission-v2", "permission-patient",
                        "permission-user", "sso-openid-connect"));
        response.setContentType("application/json;charset=utf-8");
        response.getWriter().write(body.build().toString());
    }

    private static JsonArrayBuilder array(String... values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
