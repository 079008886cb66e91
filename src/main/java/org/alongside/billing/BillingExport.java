package org.alongside.billing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that turn the sessions of a period into H0038 lines and excluded sessions. Pure: no I/O.
 * <ul>
 *   <li>A session belongs to the period when its date of service (the calendar day its start falls on, in the
 *       policy's time zone) is within the period, both ends included; others are not mentioned at all.</li>
 *   <li>It is billed only when finished, of a known modality, synchronous (in person, phone, video), at least one unit long, co-signed by a
 *       supervisor in its current version, its care plan addresses an ICD-10-CM diagnosis, and, for a Part 2 record,
 *       the person consented to its disclosure for payment. Otherwise it is excluded with the first reason that
 *       applies ({@link ExclusionReason} order).</li>
 *   <li>Daily cap: per person and day, sessions that pass every other rule are billed in the order they started
 *       while their units fit under the cap; a session that would exceed it is excluded whole (a line is a whole
 *       session, as its note documents it), and a later shorter one that still fits is billed.</li>
 * </ul>
 */
public final class BillingExport {

    /** One H0038 line: a billed session. */
    public record Line(BillableSession session, LocalDate date, int units, String placeOfService,
                       List<String> modifiers) {
    }

    /** A session of the period that is not billed, and why. */
    public record Excluded(BillableSession session, LocalDate date, int units, ExclusionReason reason, String detail) {
    }

    public record Result(LocalDate start, LocalDate end, List<Line> lines, List<Excluded> excluded) {

        public int totalUnits() {
            return lines.stream().mapToInt(Line::units).sum();
        }
    }

    private BillingExport() {
    }

    public static Result build(List<BillableSession> sessions, LocalDate start, LocalDate end, BillingPolicy policy) {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("the period ends before it starts");
        }
        List<BillableSession> ordered = sessions.stream()
                .filter(s -> s.start() != null && s.end() != null)
                .filter(s -> !date(s, policy).isBefore(start) && !date(s, policy).isAfter(end))
                .sorted(Comparator.comparing(BillableSession::patient).thenComparing(BillableSession::start)
                        .thenComparing(BillableSession::encounter))
                .toList();
        List<Line> lines = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        Map<String, Integer> billedPerPersonDay = new HashMap<>();
        for (BillableSession session : ordered) {
            LocalDate date = date(session, policy);
            int units = session.end().isBefore(session.start()) ? 0
                    : policy.units().forSession(session.start(), session.end());
            ExclusionReason reason = firstFailedRule(session, units, policy);
            if (reason != null) {
                excluded.add(new Excluded(session, date, units, reason, detail(reason, session)));
                continue;
            }
            String personDay = session.patient() + "|" + date;
            int billed = billedPerPersonDay.getOrDefault(personDay, 0);
            if (billed + units > session.dailyUnitCap()) {
                excluded.add(new Excluded(session, date, units, ExclusionReason.OVER_DAILY_CAP, units + " unit(s) on top of "
                        + billed + " already billed that day exceed the cap of " + session.dailyUnitCap()));
                continue;
            }
            billedPerPersonDay.put(personDay, billed + units);
            lines.add(new Line(session, date, units, policy.placeOfService(session.modality()),
                    policy.modifiers(session.modality(), session.group())));
        }
        return new Result(start, end, List.copyOf(lines), List.copyOf(excluded));
    }

    /** The date of service: the calendar day the session started on, in the policy's time zone. */
    public static LocalDate date(BillableSession session, BillingPolicy policy) {
        return LocalDate.ofInstant(session.start(), policy.zone());
    }

    private static ExclusionReason firstFailedRule(BillableSession session, int units, BillingPolicy policy) {
        if (!session.finished()) {
            return ExclusionReason.NOT_FINISHED;
        }
        if (session.modality() == null) {
            return ExclusionReason.NO_MODALITY;
        }
        if (!policy.billableModality(session.modality())) {
            return ExclusionReason.ASYNCHRONOUS;
        }
        if (units <= 0) {
            return ExclusionReason.NO_UNITS;
        }
        if (session.coSignature() == BillableSession.CoSignature.NONE) {
            return ExclusionReason.NOT_COSIGNED;
        }
        if (session.coSignature() == BillableSession.CoSignature.OUTDATED) {
            return ExclusionReason.CHANGED_AFTER_COSIGNATURE;
        }
        if (session.diagnoses().isEmpty()) {
            return ExclusionReason.NO_DIAGNOSIS;
        }
        if (session.part2() && !session.paymentConsent()) {
            return ExclusionReason.NO_PAYMENT_CONSENT;
        }
        return null;
    }

    private static String detail(ExclusionReason reason, BillableSession session) {
        return reason == ExclusionReason.ASYNCHRONOUS && session.modality() != null
                ? reason.display() + " (modality " + session.modality() + ")" : reason.display();
    }
}
