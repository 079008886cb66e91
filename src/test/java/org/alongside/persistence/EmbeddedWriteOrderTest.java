package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedWriteOrderTest {

    @Test
    void carriesOnAfterTheHighestPlaceStored() {
        EmbeddedWriteOrder order = new EmbeddedWriteOrder(() -> 41);
        assertThat(order.mark()).isEqualTo(42);
        assertThat(order.open()).isEqualTo(42);
        assertThat(order.open()).isEqualTo(43);
    }

    @Test
    void theHorizonStopsAtTheOldestTransactionStillOpen() {
        EmbeddedWriteOrder order = new EmbeddedWriteOrder(() -> 0);
        long first = order.open();
        long second = order.open();
        long third = order.open();
        order.finished(second);
        order.finished(third);
        assertThat(order.horizon()).isEqualTo(first);
        order.finished(first);
        assertThat(order.horizon()).isEqualTo(third + 1);
    }

    @Test
    void theHorizonPassesAMarkOnlyWhenEveryTransactionOpenAtTheMarkHasFinished() {
        EmbeddedWriteOrder order = new EmbeddedWriteOrder(() -> 0);
        long running = order.open();
        long mark = order.mark();
        long later = order.open();
        assertThat(order.horizon()).isLessThan(mark);
        order.finished(running);
        assertThat(order.horizon()).isGreaterThanOrEqualTo(mark);
        assertThat(later).isGreaterThanOrEqualTo(mark);
    }

    @Test
    void aRolledBackPlaceLeavesNoGapThatHoldsTheHorizonBack() {
        EmbeddedWriteOrder order = new EmbeddedWriteOrder(() -> 0);
        long rolledBack = order.open();
        order.finished(rolledBack);
        assertThat(order.horizon()).isEqualTo(rolledBack + 1);
    }
}
