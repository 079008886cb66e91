package org.alongside.store;

import java.time.Instant;
import java.util.List;

/**
 * What a {@link SnapshotReader} reads.
 *
 * @param type             resource type
 * @param asOf             the instant whose state is read
 * @param since            only resources whose version at {@code asOf} is newer than this; null for all
 * @param patientReferenceParams when not empty, only resources that reference some Patient through one of these
 *                         reference parameters (the Patient compartment). Rows whose version at {@code asOf} is not
 *                         the current one cannot be checked against the search index: they come unfiltered, marked
 *                         {@link SnapshotRow#indexed()} false, for the caller to check.
 * @param pageSize         rows per database round trip
 */
public record SnapshotQuery(String type, Instant asOf, Instant since, List<String> patientReferenceParams,
                            int pageSize) {

    public SnapshotQuery {
        patientReferenceParams = List.copyOf(patientReferenceParams);
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }
}
