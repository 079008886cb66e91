package org.alongside.sync.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
    private static final int DELETE_PASSES = 5;

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
        } catch (NoSuchFileException e) {
            return List.of(); // the job was removed meanwhile (a cancel)
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

    /**
     * Removes the tree, best effort against a worker that still writes into it or removes it too (a cancel while the
     * job runs): what vanishes during the walk is not an error, and what appears is removed on the next pass. A
     * worker that goes on writing after the last pass notices the cancel at its next heartbeat and removes its own
     * files, so the cancel never fails for it.
     */
    private static void deleteTree(Path directory) {
        for (int pass = 0; pass < DELETE_PASSES && Files.exists(directory); pass++) {
            try {
                Files.walkFileTree(directory, new Remover());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Deletes files, then each directory once empty; tolerates entries that vanish or directories that refill. */
    private static final class Remover extends SimpleFileVisitor<Path> {

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
            }
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException refilled) {
                // written to during the walk: the next pass takes it
            }
            return FileVisitResult.CONTINUE;
        }
    }
}
