package org.alongside.store;

/**
 * One resource of a snapshot.
 *
 * @param json    the version's JSON as stored: one line, {@code id} and {@code meta} set by the server
 * @param indexed true when the version is the resource's current one, so the search index describes it exactly
 */
public record SnapshotRow(String json, boolean indexed) {
}
