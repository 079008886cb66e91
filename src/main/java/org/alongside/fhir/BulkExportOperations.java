package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.alongside.security.RequestAccess;
import org.alongside.sync.export.BulkExportService;
import org.alongside.sync.export.ExportJob;
import org.alongside.sync.export.ExportLevel;
import org.alongside.sync.export.ExportRequest;
import org.alongside.sync.export.ExportUrls;
import org.alongside.sync.export.Manifest;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * Bulk Data Access IG v2 over HTTP: kick-off ({@code $export} on the system and on Patient), the status URL
 * ({@code $export-poll-status}: GET polls, DELETE cancels) and the files ({@code $export-file}). The answers are
 * written by hand because the asynchronous pattern needs status codes and bodies HAPI's model does not produce
 * (202 with Content-Location, a manifest that is plain JSON, NDJSON streamed from disk).
 */
public class BulkExportOperations {

    static final String EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
    static final String PATIENT_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
    private static final String NDJSON = "application/fhir+ndjson";
    private static final int RETRY_AFTER_SECONDS = 2;

    private final BulkExportService exports;
    private final FhirContext fhirContext;

    BulkExportOperations(BulkExportService exports, FhirContext fhirContext) {
        this.exports = exports;
        this.fhirContext = fhirContext;
    }

    // The kick-off parameters are declared for OperationParameters (which refuses any other) and parsed with their
    // rules by KickoffParser.

    /** {@code GET [base]/$export}: every resource of the requested types. */
    @Operation(name = "$export", idempotent = true, manualResponse = true, canonicalUrl = EXPORT_DEFINITION)
    public void systemExport(@OperationParam(name = "_outputFormat", max = 1) StringType outputFormat,
                             @OperationParam(name = "_since", max = 1) InstantType since,
                             @OperationParam(name = "_type") List<StringType> types, ServletRequestDetails request) {
        kickOff(ExportLevel.SYSTEM, request);
    }

    /** {@code GET [base]/Patient/$export}: Patients and their compartments. */
    @Operation(name = "$export", type = Patient.class, idempotent = true, manualResponse = true,
            canonicalUrl = PATIENT_EXPORT_DEFINITION)
    public void patientExport(@OperationParam(name = "_outputFormat", max = 1) StringType outputFormat,
                              @OperationParam(name = "_since", max = 1) InstantType since,
                              @OperationParam(name = "_type") List<StringType> types, ServletRequestDetails request) {
        kickOff(ExportLevel.PATIENT, request);
    }

    /** The status URL: GET polls (202 in progress, 200 manifest, 500 failed), DELETE cancels. */
    @Operation(name = ExportUrls.STATUS_OPERATION, idempotent = true, deleteEnabled = true, manualResponse = true)
    public void status(@OperationParam(name = "_jobId", min = 1, max = 1) String jobId,
                       ServletRequestDetails request) {
        if ("DELETE".equals(request.getServletRequest().getMethod())) {
            if (!exports.cancel(jobId, requester())) {
                throw new ResourceNotFoundException("No export job " + jobId);
            }
            writeOutcome(request.getServletResponse(), 202,
                    OperationOutcomes.information("Export job " + jobId + " cancelled; its files are removed"));
            return;
        }
        ExportJob job = exports.find(jobId, requester()).orElseThrow(() -> new ResourceNotFoundException("No export job " + jobId
                + " (unknown, cancelled, or removed after its retention time)"));
        HttpServletResponse response = request.getServletResponse();
        switch (job.state()) {
            case COMPLETED -> {
                response.setStatus(200);
                response.setHeader("Expires", DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(exports.expiresAt(job).atOffset(ZoneOffset.UTC)));
                write(response, "application/json", Manifest.json(job, request.getFhirServerBase()));
            }
            case FAILED -> writeOutcome(response, 500,
                    OperationOutcomes.error(OperationOutcome.IssueType.EXCEPTION, job.errorText()));
            default -> {
                response.setStatus(202);
                response.setHeader("X-Progress", job.progress());
                response.setHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            }
        }
    }

    /** An output file, streamed from disk. */
    @Operation(name = ExportUrls.FILE_OPERATION, idempotent = true, manualResponse = true)
    public void file(@OperationParam(name = "_jobId", min = 1, max = 1) String jobId,
                     @OperationParam(name = "_file", min = 1, max = 1) String fileName,
                     ServletRequestDetails request) {
        Path file = exports.file(jobId, fileName, requester()).orElseThrow(() -> new ResourceNotFoundException(
                "No export file " + fileName + " in job " + jobId));
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) { // removed by retention between the lookup and now
            throw new ResourceNotFoundException("Export file " + fileName + " was removed");
        }
        HttpServletResponse response = request.getServletResponse();
        response.setStatus(200);
        response.setContentType(NDJSON);
        response.setContentLengthLong(size);
        try (OutputStream body = response.getOutputStream()) {
            Files.copy(file, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void kickOff(ExportLevel level, ServletRequestDetails request) {
        Map<String, String[]> parameters = request.getParameters();
        ExportRequest parsed = exports.parser().parse(level, parameters, request.getHeaders("Prefer"),
                requestUrl(request));
        ExportJob job = exports.kickOff(parsed, requester());
        HttpServletResponse response = request.getServletResponse();
        response.setHeader("Content-Location", ExportUrls.status(request.getFhirServerBase(), job.id()));
        writeOutcome(response, 202, OperationOutcomes.information("Export job " + job.id() + " accepted; poll the"
                + " Content-Location for its status"));
    }

    /** Who is asking: jobs, their status and files belong to the client that kicked them off. */
    private static String requester() {
        RequestAccess access = RequestAccess.current();
        if (access == null) {
            throw new AuthenticationException("Bulk export needs an authenticated client");
        }
        return access.caller().accountable();
    }

    private static String requestUrl(ServletRequestDetails request) {
        String query = request.getServletRequest().getQueryString();
        return request.getCompleteUrl().replaceAll("\\?.*", "") + (query == null ? "" : "?" + query);
    }

    private void writeOutcome(HttpServletResponse response, int status, OperationOutcome outcome) {
        response.setStatus(status);
        write(response, "application/fhir+json", fhirContext.newJsonParser().encodeResourceToString(outcome));
    }

    private static void write(HttpServletResponse response, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> operationNames() {
        return List.of("export", ExportUrls.STATUS_OPERATION.substring(1), ExportUrls.FILE_OPERATION.substring(1));
    }
}
