package org.alongside.store;

/**
 * Where writes that have finished end and writes still in flight begin, in the order the store gives writing
 * transactions (their write order). The contract:
 * <ul>
 *   <li>Every version carries the write order of the transaction that wrote it. A transaction takes its place in
 *       that order before it stamps any version's time, so a version stamped before an instant belongs to a
 *       transaction that had its place before that instant.</li>
 *   <li>{@link #horizon()}: every transaction whose write order is below it has finished (committed or rolled
 *       back), and its versions are visible to any statement started after the call. Versions at or above it may
 *       still appear. The horizon never moves back.</li>
 *   <li>{@link #mark()}: a value that every transaction taking its place after the call is at or above. Once
 *       {@code horizon() >= mark}, every transaction that had its place when the mark was taken has finished.</li>
 * </ul>
 * The change feed hands out only versions below the horizon, in write order: it never skips a version (one below
 * the horizon cannot appear later) and never repeats one (its cursor moves forward in the same order). On
 * PostgreSQL the write order is the transaction id and the horizon the oldest one still running, so this holds
 * across any number of instances.
 */
public interface WriteHorizon {

    long horizon();

    long mark();

    /** True once every transaction that had its place when {@code mark} was taken has finished. */
    default boolean passed(long mark) {
        return horizon() >= mark;
    }
}
