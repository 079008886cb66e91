package org.alongside.sync.export;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the resources of one type as NDJSON files in a directory, starting a new file when one holds
 * {@code maxPerFile} resources: {@code Type-1.ndjson}, {@code Type-2.ndjson}, ... Only the current file is open,
 * and lines go straight to a buffered stream, so memory does not grow with the export.
 */
public final class NdjsonFileWriter implements Closeable {

    private final Path directory;
    private final String type;
    private final long maxPerFile;
    private final List<ExportFile> finished = new ArrayList<>();
    private BufferedWriter current;
    private String currentName;
    private long currentCount;

    public NdjsonFileWriter(Path directory, String type, long maxPerFile) {
        if (maxPerFile < 1) {
            throw new IllegalArgumentException("maxPerFile must be positive");
        }
        this.directory = directory;
        this.type = type;
        this.maxPerFile = maxPerFile;
    }

    /** Appends one resource; {@code json} is one resource in FHIR JSON. */
    public void write(String json) {
        try {
            if (current == null || currentCount == maxPerFile) {
                roll();
            }
            current.write(oneLine(json));
            current.write('\n');
            currentCount++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the open file and lists every file written, in order; a type with no resources has no file. */
    public List<ExportFile> finish() {
        closeCurrent();
        return List.copyOf(finished);
    }

    @Override
    public void close() {
        closeCurrent();
    }

    /** Stored JSON is compact already; a raw line break can only be whitespace between tokens, so a space keeps it valid. */
    static String oneLine(String json) {
        return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\r', ' ').replace('\n', ' ');
    }

    private void roll() throws IOException {
        closeCurrent();
        currentName = type + "-" + (finished.size() + 1) + ".ndjson";
        current = Files.newBufferedWriter(directory.resolve(currentName), StandardCharsets.UTF_8);
        currentCount = 0;
    }

    private void closeCurrent() {
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            current = null;
        }
        finished.add(new ExportFile(currentName, type, currentCount));
    }
}
