package org.alongside.cds;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * The patient-view card, from the facts alone (pure): who the peer mentor is, the last contact and the days since,
 * when the next contact is due (last contact plus the overdue threshold), the open escalations and engagement alerts,
 * the latest recovery capital score (BARC-10) and its change since the first, and a SMART link to the side-by-side
 * view. No card when there is nothing to say: no peer mentor, no open escalation or alert, no score.
 */
public final class PatientViewCard {

    static final String SOURCE = "Alongside peer support";
    static final int MAX_SUMMARY = 140;

    private PatientViewCard() {
    }

    /**
     * @param launchUrl the SMART app's launch URL (the EHR launches it with its own iss and launch parameters)
     */
    public static Optional<JsonObject> build(PeerSupportFacts facts, Instant now, int overdueDays, String launchUrl) {
        if (!facts.hasMentor() && facts.openEscalations() == 0 && facts.openAlerts() == 0
                && facts.recovery().isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> daysSince = facts.lastContact().map(last -> ChronoUnit.DAYS.between(last, now));
        Optional<LocalDate> due = facts.lastContact().map(last -> day(last).plusDays(overdueDays));
        boolean overdue = due.map(d -> d.isBefore(day(now))).orElse(false);

        JsonObjectBuilder card = Json.createObjectBuilder()
                .add("uuid", UUID.randomUUID().toString())
                .add("summary", summary(facts, daysSince, due, overdue, now))
                .add("indicator", facts.openEscalations() > 0 || facts.openAlerts() > 0 || overdue ? "warning" : "info")
                .add("detail", detail(facts, daysSince, due))
                .add("source", Json.createObjectBuilder().add("label", SOURCE));
        facts.carePlanId().ifPresent(plan -> card.add("links", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("label", "Open peer support side by side")
                .add("url", launchUrl)
                .add("type", "smart")
                .add("appContext", Json.createObjectBuilder().add("carePlan", "CarePlan/" + plan).build().toString()))));
        return Optional.of(card.build());
    }

    private static String summary(PeerSupportFacts facts, Optional<Long> daysSince, Optional<LocalDate> due,
                                  boolean overdue, Instant now) {
        StringBuilder text = new StringBuilder();
        if (facts.hasMentor()) {
            text.append("Peer mentor ").append(facts.mentor().get()).append(": ");
            if (daysSince.isEmpty()) {
                text.append("no contact on record");
            } else {
                text.append("last contact ").append(ago(daysSince.get()));
                long untilDue = ChronoUnit.DAYS.between(day(now), due.get());
                text.append(overdue ? ", contact overdue by " + days(-untilDue)
                        : untilDue == 0 ? ", next contact due today" : ", next due in " + days(untilDue));
            }
        }
        if (facts.openEscalations() > 0) {
            text.append(text.isEmpty() ? "" : "; ").append(facts.openEscalations())
                    .append(facts.openEscalations() == 1 ? " open escalation" : " open escalations");
        }
        if (facts.openAlerts() > 0) {
            text.append(text.isEmpty() ? "" : "; ").append(facts.openAlerts() == 1 ? "engagement alert open"
                    : facts.openAlerts() + " engagement alerts open");
        }
        facts.recovery().ifPresent(trend -> text.append(text.isEmpty() ? "" : "; ").append("BARC-10 ")
                .append(trend.latest().score()).append(trend.count() > 1 ? " (" + signed(trend.change()) + ")" : ""));
        return shorten(text.toString());
    }

    private static String detail(PeerSupportFacts facts, Optional<Long> daysSince, Optional<LocalDate> due) {
        StringBuilder md = new StringBuilder();
        md.append("- Peer mentor: ").append(facts.mentor().orElse("none assigned")).append('\n');
        md.append("- Last contact: ").append(facts.lastContact()
                .map(last -> day(last) + " (" + ago(daysSince.get()) + ")").orElse("none recorded")).append('\n');
        due.ifPresent(d -> md.append("- Next contact due: ").append(d).append('\n'));
        md.append("- Open escalations: ").append(facts.openEscalations()).append('\n');
        md.append("- Open engagement alerts: ").append(facts.openAlerts()).append('\n');
        md.append("- Recovery capital (BARC-10, 10 to 60): ").append(facts.recovery().map(trend -> trend.latest().score()
                + " on " + day(trend.latest().when().toInstant()) + (trend.count() > 1 ? ", " + signed(trend.change())
                + " since the first score, " + trend.first().score() + " on " + day(trend.first().when().toInstant())
                : "")).orElse("no score recorded")).append('\n');
        return md.toString();
    }

    /** CDS Hooks asks for a summary under 140 characters; a long mentor name is cut, never the limit broken. */
    static String shorten(String summary) {
        return summary.length() < MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 2) + "…";
    }

    private static String signed(int change) {
        return change > 0 ? "+" + change : String.valueOf(change);
    }

    private static String ago(long days) {
        return days == 0 ? "today" : days == 1 ? "yesterday" : days + " days ago";
    }

    private static String days(long n) {
        return n == 1 ? "1 day" : n + " days";
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A response with these cards (and no system actions). */
    public static JsonObject response(Iterable<JsonObject> cards) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        cards.forEach(array::add);
        return Json.createObjectBuilder().add("cards", array).add("systemActions", Json.createArrayBuilder()).build();
    }
}
