package org.alongside.store;

import java.util.function.Predicate;

/**
 * Reads the resources of one type as they stood at a past instant, for bulk export. The contract:
 * <ul>
 *   <li>Each resource appears at most once, as its newest version stamped at or before {@link SnapshotQuery#asOf()};
 *       a resource whose version at that instant is a deletion, or that did not exist yet, does not appear.
 *       Versions written later never show, so a reader sees one consistent state however long it reads.</li>
 *   <li>With {@link SnapshotQuery#since()}, only resources whose version at {@code asOf} is newer than it.</li>
 *   <li>Rows are read in pages of {@link SnapshotQuery#pageSize()}, each page its own short query (no transaction
 *       stays open while the caller writes), so memory stays constant whatever the number of resources.</li>
 *   <li>The caller must not read an instant until every transaction writing at that instant has finished
 *       ({@link WriteHorizon}): a write stamped before it could still be uncommitted.</li>
 * </ul>
 */
public interface SnapshotReader {

    /**
     * Hands each resource to {@code sink} until it returns false.
     *
     * @return how many rows were handed over
     */
    long read(SnapshotQuery query, Predicate<SnapshotRow> sink);
}
