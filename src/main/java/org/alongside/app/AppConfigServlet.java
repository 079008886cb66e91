package org.alongside.app;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.alongside.config.AlongsideConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The settings the web app under /app needs from the server, so it shows what the server will enforce:
 * the overdue threshold of "My people", the caseload limit and the H0038 unit rule, and the token claim that names
 * the user's role (the app reads it to pick the pages). No patient data, no secrets: readable without a token, like
 * /fhir/metadata.
 */
@WebServlet(urlPatterns = "/app/config.json")
public class AppConfigServlet extends HttpServlet {

    /** Days without contact after which a person shows as overdue in a peer's caseload. */
    @Inject
    @ConfigProperty(name = "alongside.app.overdue-days", defaultValue = "7")
    int overdueDays;

    /** The claim holding the role, as the server reads it (SecurityConfig): issuers name it differently. */
    @Inject
    @ConfigProperty(name = "alongside.auth.groups-claim", defaultValue = "groups")
    String groupsClaim;

    @Inject
    AlongsideConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.getWriter().write(Json.createObjectBuilder()
                .add("clientId", "alongside-app")
                .add("overdueDays", overdueDays)
                .add("caseloadLimit", config.caseloadLimit())
                .add("billingUnitMinutes", config.billingUnitMinutes())
                .add("billingMinimumMinutes", config.billingMinimumMinutes())
                .add("groupsClaim", groupsClaim)
                .build().toString());
    }
}
