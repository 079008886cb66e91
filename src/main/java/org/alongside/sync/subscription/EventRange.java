package org.alongside.sync.subscription;

import java.util.Optional;

/**
 * The event numbers an {@code $events} call asks for: {@code eventsSinceNumber} (default 1) to
 * {@code eventsUntilNumber} (default, and at most, the last event recorded), both inclusive. Pure.
 */
public record EventRange(long since, long until) {

    /**
     * @throws IllegalArgumentException naming the parameter that is not an event number (1 or more)
     */
    public static EventRange of(String since, String until, long lastRecorded) {
        long from = number("eventsSinceNumber", since).orElse(1L);
        long to = Math.min(number("eventsUntilNumber", until).orElse(lastRecorded), lastRecorded);
        return new EventRange(from, to);
    }

    public boolean isEmpty() {
        return since > until;
    }

    private static Optional<Long> number(String name, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= 1) {
                return Optional.of(number);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " must be an event number (1 or more)");
    }
}
