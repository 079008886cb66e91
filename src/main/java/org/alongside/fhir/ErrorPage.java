package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The error page (web.xml) for what the web container refuses before any filter or servlet of ours runs, such as an
 * encoded slash or dot in the path ({@code ..%2F}): an OperationOutcome instead of Liberty's HTML page. It never
 * repeats the URL or the container's message, which quote the request.
 */
@WebServlet(urlPatterns = "/error/outcome")
public class ErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient FhirContext fhirContext;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number && number >= 400 ? number : 400;
        String text = switch (status) {
            case 400 -> "The request URL is malformed: an encoded '/', '.' or '#' in the path, or invalid percent-encoding";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            default -> status < 500 ? "The request was refused (HTTP " + status + ")" : "Internal error";
        };
        ServletOutcomes.write(response, fhirContext, status, status < 500 ? OperationOutcome.IssueType.INVALID
                : OperationOutcome.IssueType.EXCEPTION, text);
    }
}
