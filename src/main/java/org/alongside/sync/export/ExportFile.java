package org.alongside.sync.export;

/**
 * One NDJSON output file of a job.
 *
 * @param name  file name inside the job's directory, such as {@code Patient-1.ndjson}
 * @param type  the resource type of every line
 * @param count number of resources (lines) in the file
 */
public record ExportFile(String name, String type, long count) {
}
