package org.alongside.sync.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

    @Test
    void theManifestListsEveryFileWithTypeUrlAndCount() throws Exception {
        String id = "0b4b5a0e-1f55-4c3e-9d4a-2f3f6e1f0a01";
        ExportRequest request = new ExportRequest(ExportLevel.SYSTEM, List.of("Patient", "Goal"), null,
                "http://h/fhir/$export?_type=Patient,Goal");
        ExportJob job = new ExportJob(id, "client:ehr", ExportJob.State.COMPLETED, request, Instant.parse("2026-03-01T10:15:30.120Z"),
                Instant.parse("2026-03-01T10:15:30.120Z"), 4711L, Instant.parse("2026-03-01T10:15:30.120Z"), "host/1", null, 1,
                "completed", Instant.parse("2026-03-01T10:19:00Z"), null,
                List.of(new ExportFile("Patient-1.ndjson", "Patient", 2), new ExportFile("Goal-1.ndjson", "Goal", 50),
                        new ExportFile("Goal-2.ndjson", "Goal", 1)));

        JsonNode manifest = new ObjectMapper().readTree(Manifest.json(job, "http://h/fhir"));

        assertThat(manifest.get("transactionTime").asText()).isEqualTo("2026-03-01T10:15:30.120Z");
        assertThat(manifest.get("request").asText()).isEqualTo("http://h/fhir/$export?_type=Patient,Goal");
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.get("error").isArray()).isTrue();
        assertThat(manifest.get("error")).isEmpty();
        assertThat(manifest.get("output")).hasSize(3);
        JsonNode second = manifest.get("output").get(1);
        assertThat(second.get("type").asText()).isEqualTo("Goal");
        assertThat(second.get("count").asLong()).isEqualTo(50);
        assertThat(second.get("url").asText())
                .isEqualTo("http://h/fhir/$export-file?_jobId=" + id + "&_file=Goal-1.ndjson");
    }

    @Test
    void theStatusUrlCarriesTheJobId() {
        assertThat(ExportUrls.status("https://h/fhir", "abc")).isEqualTo("https://h/fhir/$export-poll-status?_jobId=abc");
    }
}
