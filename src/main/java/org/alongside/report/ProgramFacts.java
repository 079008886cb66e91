package org.alongside.report;

import java.time.Instant;
import java.util.List;
import org.alongside.supervision.SupervisionHours;

/**
 * What the program report is computed from, as plain facts with no FHIR in them: who mentored whom when, the peer
 * sessions, the contacts, the goals achieved, the recovery capital scores, the escalations and the supervision
 * sessions. Peers are PractitionerRole references; mentees are opaque keys that never leave the report's computation.
 */
public record ProgramFacts(List<Mentorship> mentorships, List<Session> sessions, List<Contact> contacts,
                           List<Goal> goals, List<Score> scores, List<Escalation> escalations,
                           List<SupervisionHours.Session> supervision) {

    public ProgramFacts {
        mentorships = List.copyOf(mentorships);
        sessions = List.copyOf(sessions);
        contacts = List.copyOf(contacts);
        goals = List.copyOf(goals);
        scores = List.copyOf(scores);
        escalations = List.copyOf(escalations);
        supervision = List.copyOf(supervision);
    }

    public static ProgramFacts none() {
        return new ProgramFacts(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** A peer mentoring a mentee from {@code start} until {@code end} (null: still mentoring). */
    public record Mentorship(String peer, String mentee, Instant start, Instant end) {
    }

    /** A peer session that took place (finished), from start to end. */
    public record Session(String peer, String mentee, Instant start, Instant end) {
    }

    /** A peer contact (a session that ended, a message sent): who reached whom, when. */
    public record Contact(String peer, String mentee, Instant when) {
    }

    /** A mentee's goal that was achieved, and when. */
    public record Goal(String mentee, Instant achieved) {
    }

    /** A BARC-10 total (10 to 60) of a mentee, and when it was taken. */
    public record Score(String mentee, Instant when, int score) {
    }

    /** An "I'm worried" escalation raised by a peer about a mentee. */
    public record Escalation(String peer, String mentee, Instant when) {
    }
}
