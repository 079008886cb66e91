package org.alongside.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.alongside.config.AlongsideConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The settings the web app under /app needs from the server, so it shows what the server will enforce:
 * the overdue threshold of "My people", the caseload limit and the H0038 unit rule. No patient data, no
 * secrets: readable without a token, like /fhir/metadata.
 */
@WebServlet(urlPatterns = "/app/config.json")
public class AppConfigServlet extends HttpServlet {

    /** Days without contact after which a person shows as overdue in a peer's caseload. */
    @Inject
    @ConfigProperty(name = "alongside.app.overdue-days", defaultValue = "7")
    int overdueDays;

    @Inject
    AlongsideConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.getWriter().write("{\"clientId\":\"alongside-app\""
                + ",\"overdueDays\":" + overdueDays
                + ",\"caseloadLimit\":" + config.caseloadLimit()
                + ",\"billingUnitMinutes\":" + config.billingUnitMinutes()
                + ",\"billingMinimumMinutes\":" + config.billingMinimumMinutes() + "}");
    }
}
