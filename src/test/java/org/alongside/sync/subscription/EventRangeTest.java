package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventRangeTest {

    @Test
    void withoutBoundsItIsEveryEventSoFar() {
        assertThat(EventRange.of(null, null, 5)).isEqualTo(new EventRange(1, 5));
    }

    @Test
    void theUpperBoundNeverPassesTheLastRecordedEvent() {
        assertThat(EventRange.of("3", "99", 5)).isEqualTo(new EventRange(3, 5));
        assertThat(EventRange.of("2", "3", 5)).isEqualTo(new EventRange(2, 3));
    }

    @Test
    void aRangeAfterTheLastEventIsEmpty() {
        assertThat(EventRange.of("6", null, 5).isEmpty()).isTrue();
        assertThat(EventRange.of(null, null, 0).isEmpty()).isTrue();
        assertThat(EventRange.of("1", "1", 5).isEmpty()).isFalse();
    }

    @Test
    void aBoundThatIsNoEventNumberIsRefusedByName() {
        assertThatThrownBy(() -> EventRange.of("0", null, 5)).hasMessageContaining("eventsSinceNumber");
        assertThatThrownBy(() -> EventRange.of("1", "x", 5)).hasMessageContaining("eventsUntilNumber");
        assertThatThrownBy(() -> EventRange.of("-2", null, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
