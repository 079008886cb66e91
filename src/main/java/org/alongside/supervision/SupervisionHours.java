package org.alongside.supervision;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Supervision hours per peer per month, as certification boards ask for them (IC&RC: 25 hours of supervision):
 * the minutes of each peer's supervision sessions summed by the calendar month, in the clinic's time zone, in which
 * each session started. Sessions entered in error are left out by the caller. Pure: no I/O; the web app computes the
 * same on the supervisor's page (src/main/app/src/supervision.js) and a program report can use this class.
 */
public final class SupervisionHours {

    /** One session: whose supervision it was, when it started, how many minutes it took. */
    public record Session(String peer, Instant start, int minutes) {
    }

    /** The minutes of one peer in one month, and the same as hours (to the tenth, rounded half up). */
    public record Total(String peer, YearMonth month, int minutes) {
        public double hours() {
            return Math.round(minutes / 6.0) / 10.0;
        }
    }

    private final ZoneId zone;

    public SupervisionHours(ZoneId zone) {
        this.zone = zone;
    }

    /** peer → month → total, peers and months in order. Sessions without minutes (0 or less) add nothing. */
    public Map<String, Map<YearMonth, Total>> byPeerAndMonth(Collection<Session> sessions) {
        Map<String, Map<YearMonth, Total>> out = new TreeMap<>();
        for (Session session : sessions) {
            if (session.minutes() <= 0 || session.start() == null || session.peer() == null) {
                continue;
            }
            YearMonth month = YearMonth.from(session.start().atZone(zone));
            out.computeIfAbsent(session.peer(), peer -> new TreeMap<>()).merge(month,
                    new Total(session.peer(), month, session.minutes()),
                    (a, b) -> new Total(a.peer(), a.month(), a.minutes() + b.minutes()));
        }
        return out;
    }

    /** One peer's total for one month (zero when they had no supervision then). */
    public Total of(Collection<Session> sessions, String peer, YearMonth month) {
        return byPeerAndMonth(sessions).getOrDefault(peer, Map.of()).getOrDefault(month, new Total(peer, month, 0));
    }
}
