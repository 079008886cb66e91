package org.alongside.sync.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the files of export jobs live: {@code <root>/<job id>/<attempt>/<Type>-<n>.ndjson}. Every attempt writes a
 * directory of its own, so a worker that lost its job can never overwrite the files of the one that took it over.
 * Several instances must share the root (a network file system) so that any of them can serve any file.
 */
public final class ExportDirectory {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");

    private final Path root;

    public ExportDirectory(Path root) {
        this.root = root;
    }

    public Path attempt(String jobId, int attempt) {
        return job(jobId).resolve(Integer.toString(attempt));
    }

    /** A file of a completed job; the name must be one the job lists (never a path from a request). */
    public Path file(ExportJob job, ExportFile file) {
        return attempt(job.id(), job.attempt()).resolve(file.name());
    }

    /** Creates the attempt's directory empty. */
    public Path prepare(String jobId, int attempt) {
        Path directory = attempt(jobId, attempt);
        deleteTree(directory);
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteJob(String jobId) {
        deleteTree(job(jobId));
    }

    public void deleteAttempt(String jobId, int attempt) {
        deleteTree(attempt(jobId, attempt));
    }

    /** The job ids that have a directory. */
    public List<String> jobIds() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.map(p -> p.getFileName().toString()).filter(n -> JOB_ID.matcher(n).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The attempt numbers that have a directory under the job. */
    public List<Integer> attempts(String jobId) {
        if (!Files.isDirectory(job(jobId))) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(job(jobId))) {
            return children.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,9}"))
                    .map(Integer::valueOf).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path job(String jobId) {
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("not a job id");
        }
        return root.resolve(jobId);
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (NoSuchFileException e) {
                    // removed concurrently (another instance's cleanup): fine
                }
            }
        } catch (NoSuchFileException e) {
            // removed concurrently
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
