package org.alongside.sync.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;

/** The complete-status body of the Bulk Data Access IG v2: the manifest that lists a job's files. Pure. */
public final class Manifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    public static String json(ExportJob job, String fhirBase) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("transactionTime", DateTimeFormatter.ISO_INSTANT.format(job.transactionTime()));
        manifest.put("request", job.request().requestUrl());
        // files are served only through the FHIR endpoint, behind whatever authorization protects it
        manifest.put("requiresAccessToken", true);
        ArrayNode output = manifest.putArray("output");
        for (ExportFile file : job.files()) {
            output.addObject()
                    .put("type", file.type())
                    .put("url", ExportUrls.file(fhirBase, job.id(), file.name()))
                    .put("count", file.count());
        }
        manifest.putArray("error");
        try {
            return JSON.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode the export manifest", e);
        }
    }
}
