package org.alongside.mentorship;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The engagement rule, pure. A mentee's gap starts at their last peer contact, or at the start of the mentorship when
 * there was none since; once it has lasted {@code days} full days it is due an alert. A gap is named by the mentorship
 * and the instant it started, so every run on every instance names the same gap the same way (the alert's
 * identifier), and a contact after that instant ends it.
 */
public final class EngagementGap {

    private EngagementGap() {
    }

    /** A gap in peer contact within one mentorship, since an instant. */
    public record Gap(String mentorship, Instant since, int days) {

        /** The alert's identifier value: the mentorship and the instant the gap started. */
        public String key() {
            return EngagementGap.key(mentorship, since);
        }
    }

    public static String key(String mentorship, Instant since) {
        return mentorship + "/" + since;
    }

    /**
     * The gap due an alert at {@code now}, if any.
     *
     * @param mentorship the assignment's reference (ServiceRequest/id)
     * @param start      when the mentorship started
     * @param contacts   the person's peer contacts (any time; those after {@code now} do not count)
     * @param days       the threshold, at least 1
     */
    public static Optional<Gap> due(String mentorship, Instant start, Collection<Instant> contacts, int days,
                                    Instant now) {
        if (days < 1) {
            throw new IllegalArgumentException("The threshold is at least one day, not " + days);
        }
        Instant since = start;
        for (Instant contact : contacts) {
            if (!contact.isAfter(now) && contact.isAfter(since)) {
                since = contact;
            }
        }
        if (since.isAfter(now) || Duration.between(since, now).compareTo(Duration.ofDays(days)) < 0) {
            return Optional.empty();
        }
        return Optional.of(new Gap(mentorship, since, days));
    }

    /** Whether a contact after {@code since} (and not after {@code now}) ended a gap that started then. */
    public static boolean contactSince(Instant since, Collection<Instant> contacts, Instant now) {
        return contacts.stream().anyMatch(c -> c.isAfter(since) && !c.isAfter(now));
    }
}
