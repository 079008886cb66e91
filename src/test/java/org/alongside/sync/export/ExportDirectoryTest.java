package org.alongside.sync.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportDirectoryTest {

    private static final String JOB = "0b4b5a0e-1f55-4c3e-9d4a-2f3f6e1f0a01";

    @TempDir
    Path root;

    @Test
    void deletingAJobRemovesEveryAttemptAndFile() throws Exception {
        ExportDirectory directory = new ExportDirectory(root);
        Files.writeString(directory.prepare(JOB, 1).resolve("Patient-1.ndjson"), "{}\n");
        Files.writeString(directory.prepare(JOB, 2).resolve("Goal-1.ndjson"), "{}\n");

        directory.deleteJob(JOB);

        assertThat(directory.jobIds()).isEmpty();
        assertThat(Files.exists(root.resolve(JOB))).isFalse();
    }

    /**
     * A cancel (DELETE on the status URL) removes the job's files while its worker may still prepare, write and
     * remove its attempt: files and directories that vanish or appear during the walk are not an error.
     */
    @Test
    void deletingAJobWhileItsWorkerStillWritesAndCleansUpNeverFails() throws Exception {
        ExportDirectory directory = new ExportDirectory(root);
        AtomicBoolean stop = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                try {
                    Path attempt = directory.prepare(JOB, 1 + n % 2);
                    for (int i = 0; i < 5; i++) {
                        Files.writeString(attempt.resolve("Patient-" + i + ".ndjson"), "{}\n");
                    }
                    directory.deleteAttempt(JOB, 1 + n % 2);
                } catch (IOException | UncheckedIOException e) {
                    // the cancel removed the directory under the worker's feet; the worker just goes on
                }
                n++;
            }
        });
        worker.start();
        try {
            for (int i = 0; i < 3000; i++) {
                assertThatCode(() -> directory.deleteJob(JOB)).doesNotThrowAnyException();
            }
        } finally {
            stop.set(true);
            worker.join();
        }
        directory.deleteJob(JOB);
        assertThat(Files.exists(root.resolve(JOB))).isFalse();
    }
}
