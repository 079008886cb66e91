package org.alongside.sync.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void aTypeIsSplitIntoFilesOfAtMostTheLimit() throws Exception {
        List<ExportFile> files;
        try (NdjsonFileWriter writer = new NdjsonFileWriter(dir, "Goal", 2)) {
            for (int i = 1; i <= 5; i++) {
                writer.write("{\"resourceType\":\"Goal\",\"id\":\"g" + i + "\"}");
            }
            files = writer.finish();
        }
        assertThat(files).containsExactly(new ExportFile("Goal-1.ndjson", "Goal", 2),
                new ExportFile("Goal-2.ndjson", "Goal", 2), new ExportFile("Goal-3.ndjson", "Goal", 1));
        assertThat(Files.readAllLines(dir.resolve("Goal-2.ndjson")))
                .containsExactly("{\"resourceType\":\"Goal\",\"id\":\"g3\"}", "{\"resourceType\":\"Goal\",\"id\":\"g4\"}");
        assertThat(Files.readString(dir.resolve("Goal-3.ndjson"))).endsWith("}\n");
    }

    @Test
    void exactlyTheLimitMakesOneFileAndNothingMakesNone() {
        try (NdjsonFileWriter writer = new NdjsonFileWriter(dir, "Patient", 2)) {
            writer.write("{}");
            writer.write("{}");
            assertThat(writer.finish()).containsExactly(new ExportFile("Patient-1.ndjson", "Patient", 2));
        }
        try (NdjsonFileWriter writer = new NdjsonFileWriter(dir, "Task", 2)) {
            assertThat(writer.finish()).isEmpty();
        }
        assertThat(dir.resolve("Task-1.ndjson")).doesNotExist();
    }

    @Test
    void lineBreaksBetweenTokensNeverSplitAResource() {
        assertThat(NdjsonFileWriter.oneLine("{\n  \"a\": \"x\\ny\"\r\n}")).isEqualTo("{   \"a\": \"x\\ny\"  }");
    }
}
