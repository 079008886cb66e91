package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Answers written before HAPI runs (servlet filters, the error page): an OperationOutcome in FHIR JSON. */
final class ServletOutcomes {

    private ServletOutcomes() {
    }

    static void write(HttpServletResponse response, FhirContext fhirContext, int status,
                      OperationOutcome.IssueType type, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=utf-8");
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(
                OperationOutcomes.error(type, text)));
    }
}
