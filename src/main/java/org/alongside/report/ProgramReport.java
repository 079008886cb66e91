package org.alongside.report;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.alongside.mentorship.BillingUnits;
import org.alongside.supervision.SupervisionHours;

/**
 * The program report's rules: one month's figures for a group of peers (one peer, or every peer of a program),
 * in the clinic's time zone, from {@link ProgramFacts}. A figure belongs to the peers who did the work: contacts,
 * sessions and escalations to the peer who made them, supervision to the peer supervised; goals and scores to the
 * peers who mentored the mentee at the time. Pure: no I/O.
 */
public final class ProgramReport {

    private final ZoneId zone;
    private final BillingUnits units;

    public ProgramReport(ZoneId zone, BillingUnits units) {
        this.zone = zone;
        this.units = units;
    }

    /** The months from {@code first} to {@code last}, both included. */
    public static List<YearMonth> months(YearMonth first, YearMonth last) {
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }

    public MonthlyFigures figures(ProgramFacts facts, Set<String> peers, YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        Set<String> active = activeMentees(facts, peers, from, to);
        List<ProgramFacts.Contact> contacts = facts.contacts().stream().filter(c -> peers.contains(c.peer())).toList();
        List<ProgramFacts.Session> sessions = facts.sessions().stream()
                .filter(s -> peers.contains(s.peer()) && within(s.start(), from, to)).toList();
        int sessionUnits = sessions.stream().filter(s -> s.end() != null && !s.end().isBefore(s.start()))
                .mapToInt(s -> units.forSession(s.start(), s.end())).sum();
        int goals = (int) facts.goals().stream()
                .filter(g -> within(g.achieved(), from, to) && mentoredBy(facts, peers, g.mentee(), g.achieved()))
                .count();
        List<Integer> changes = scoreChanges(facts.scores(), active, to);
        int escalations = (int) facts.escalations().stream()
                .filter(e -> peers.contains(e.peer()) && within(e.when(), from, to)).count();
        int supervision = supervisionMinutes(facts.supervision(), peers, month);
        return new MonthlyFigures(month, active.size(),
                (int) contacts.stream().filter(c -> within(c.when(), from, to)).count(),
                medianDays(contacts, from, to), sessions.size(), sessionUnits, goals, changes.size(),
                changes.isEmpty() ? null : tenth(changes.stream().mapToInt(Integer::intValue).average().orElse(0)),
                escalations, supervision);
    }

    private static Set<String> activeMentees(ProgramFacts facts, Set<String> peers, Instant from, Instant to) {
        Set<String> active = new HashSet<>();
        for (ProgramFacts.Mentorship m : facts.mentorships()) {
            if (peers.contains(m.peer()) && overlaps(m, from, to)) {
                active.add(m.mentee());
            }
        }
        return active;
    }

    private static boolean overlaps(ProgramFacts.Mentorship m, Instant from, Instant to) {
        return m.start() != null && m.start().isBefore(to) && (m.end() == null || !m.end().isBefore(from));
    }

    /** Did one of the peers mentor the mentee at that instant? */
    private static boolean mentoredBy(ProgramFacts facts, Set<String> peers, String mentee, Instant when) {
        return facts.mentorships().stream().anyMatch(m -> peers.contains(m.peer()) && m.mentee().equals(mentee)
                && m.start() != null && !m.start().isAfter(when) && (m.end() == null || !m.end().isBefore(when)));
    }

    /**
     * The gaps between each mentee's consecutive contacts (with these peers) that end in the month, the earlier
     * contact possibly before it; their median in days to the tenth, null when there is none.
     */
    static Double medianDays(Collection<ProgramFacts.Contact> contacts, Instant from, Instant to) {
        Map<String, List<Instant>> byMentee = new TreeMap<>();
        for (ProgramFacts.Contact c : contacts) {
            if (c.when() != null && c.when().isBefore(to)) {
                byMentee.computeIfAbsent(c.mentee(), k -> new ArrayList<>()).add(c.when());
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (List<Instant> times : byMentee.values()) {
            times.sort(Comparator.naturalOrder());
            for (int i = 1; i < times.size(); i++) {
                if (!times.get(i).isBefore(from)) {
                    gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMinutes());
                }
            }
        }
        if (gaps.isEmpty()) {
            return null;
        }
        gaps.sort(Comparator.naturalOrder());
        int n = gaps.size();
        double minutes = n % 2 == 1 ? gaps.get(n / 2) : (gaps.get(n / 2 - 1) + gaps.get(n / 2)) / 2.0;
        return tenth(minutes / (24 * 60));
    }

    /** For each active mentee scored at least twice by the end of the month: latest minus first score. */
    private static List<Integer> scoreChanges(List<ProgramFacts.Score> scores, Set<String> active, Instant to) {
        Map<String, List<ProgramFacts.Score>> byMentee = scores.stream()
                .filter(s -> active.contains(s.mentee()) && s.when() != null && s.when().isBefore(to))
                .collect(Collectors.groupingBy(ProgramFacts.Score::mentee, TreeMap::new, Collectors.toList()));
        List<Integer> changes = new ArrayList<>();
        for (List<ProgramFacts.Score> taken : byMentee.values()) {
            if (taken.size() >= 2) {
                taken.sort(Comparator.comparing(ProgramFacts.Score::when));
                changes.add(taken.get(taken.size() - 1).score() - taken.get(0).score());
            }
        }
        return changes;
    }

    private int supervisionMinutes(List<SupervisionHours.Session> sessions, Set<String> peers, YearMonth month) {
        return new SupervisionHours(zone).byPeerAndMonth(sessions).entrySet().stream()
                .filter(e -> peers.contains(e.getKey()))
                .mapToInt(e -> e.getValue().containsKey(month) ? e.getValue().get(month).minutes() : 0).sum();
    }

    private static boolean within(Instant when, Instant from, Instant to) {
        return when != null && !when.isBefore(from) && when.isBefore(to);
    }

    private static double tenth(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
