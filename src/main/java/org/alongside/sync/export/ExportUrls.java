package org.alongside.sync.export;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URLs of the asynchronous pattern, relative to the FHIR base the client used. */
public final class ExportUrls {

    public static final String STATUS_OPERATION = "$export-poll-status";
    public static final String FILE_OPERATION = "$export-file";

    private ExportUrls() {
    }

    /** Where the client polls, and sends DELETE to cancel: the kick-off's Content-Location. */
    public static String status(String fhirBase, String jobId) {
        return fhirBase + "/" + STATUS_OPERATION + "?_jobId=" + encode(jobId);
    }

    public static String file(String fhirBase, String jobId, String fileName) {
        return fhirBase + "/" + FILE_OPERATION + "?_jobId=" + encode(jobId) + "&_file=" + encode(fileName);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
