package org.alongside.mentorship;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranks the peers who can take a person, and says why (CarePlan/$match-peer-mentor; docs/mentorship.md). Pure and
 * deterministic: the same people and peers always give the same order. Points, highest first:
 * <ul>
 *   <li>each lived-experience area the person asked their mentor to share: 30; each other area that the person's
 *       care plan addresses (substance use, mental health) and the peer lived: 20;</li>
 *   <li>the person's preferred language spoken by the peer: 25; otherwise another language of the person's: 10;</li>
 *   <li>availability recorded (PractitionerRole.availableTime): 5;</li>
 *   <li>room in the caseload: up to 10, in proportion to the free places.</li>
 * </ul>
 * Ties go to the peer with more room, then to the lower role id. Peers who cannot take the person (at the caseload
 * limit, already this plan's mentor) are not ranked.
 */
public final class MentorMatching {

    static final int PREFERRED_AREA = 30;
    static final int PLAN_AREA = 20;
    static final int PREFERRED_LANGUAGE = 25;
    static final int OTHER_LANGUAGE = 10;
    static final int AVAILABILITY = 5;
    static final int ROOM = 10;
    /** What a peer sharing everything asked for, in the person's language, available and with an empty caseload gets. */
    private static final int CEILING = PREFERRED_LANGUAGE + AVAILABILITY + ROOM;

    /**
     * The person to be matched.
     *
     * @param preferredLanguage the language marked preferred in Patient.communication (lower-case tag), or null
     * @param languages         every language of the person, the preferred one included
     * @param askedAreas        lived-experience areas the person asked their mentor to share
     * @param planAreas         areas the care plan addresses (from its conditions)
     */
    public record Person(String preferredLanguage, Set<String> languages, Set<String> askedAreas, Set<String> planAreas) {
    }

    /**
     * A peer who might take the person.
     *
     * @param roleId      the PractitionerRole id
     * @param available   human-readable availability ("Mon, Wed 09:00–17:00"), or null when none is recorded
     * @param mentees     how many people the peer mentors now
     * @param alreadyHere the peer already mentors the person in this plan
     */
    public record Candidate(String roleId, Set<String> languages, Set<String> areas, String available, int mentees,
                            boolean alreadyHere) {
    }

    /** Why a peer ranks where they do: a code of the match-reason code system and its detail. */
    public record Reason(String code, String detail) {
    }

    /** A ranked peer: points, score 0–1 (points over what an ideal match for this person gets) and reasons. */
    public record Match(Candidate candidate, int points, double score, List<Reason> reasons) {
    }

    private MentorMatching() {
    }

    public static List<Match> rank(Person person, List<Candidate> candidates, int caseloadLimit) {
        int ideal = CEILING + PREFERRED_AREA * person.askedAreas().size()
                + PLAN_AREA * without(person.planAreas(), person.askedAreas()).size();
        List<Match> matches = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.alreadyHere() || candidate.mentees() >= caseloadLimit) {
                continue;
            }
            List<Reason> reasons = new ArrayList<>();
            int points = areas(person, candidate, reasons) + language(person, candidate, reasons);
            if (candidate.available() != null) {
                points += AVAILABILITY;
                reasons.add(new Reason("available", candidate.available()));
            } else {
                reasons.add(new Reason("no-availability-recorded", "No availability recorded"));
            }
            int free = caseloadLimit - candidate.mentees();
            points += ROOM * free / caseloadLimit;
            reasons.add(new Reason("caseload-room", "Mentors " + candidate.mentees() + " of " + caseloadLimit));
            double score = Math.min(1.0, Math.round(100.0 * points / ideal) / 100.0);
            matches.add(new Match(candidate, points, score, List.copyOf(reasons)));
        }
        matches.sort(Comparator.comparingInt(Match::points).reversed()
                .thenComparingInt(m -> m.candidate().mentees())
                .thenComparing(m -> m.candidate().roleId()));
        return matches;
    }

    private static int areas(Person person, Candidate candidate, List<Reason> reasons) {
        int points = 0;
        for (String area : new TreeSet<>(person.askedAreas())) {
            if (candidate.areas().contains(area)) {
                points += PREFERRED_AREA;
                reasons.add(new Reason("shared-lived-experience", area + " (asked for by the person)"));
            }
        }
        for (String area : without(person.planAreas(), person.askedAreas())) {
            if (candidate.areas().contains(area)) {
                points += PLAN_AREA;
                reasons.add(new Reason("shared-lived-experience", area + " (addressed by the care plan)"));
            }
        }
        return points;
    }

    private static int language(Person person, Candidate candidate, List<Reason> reasons) {
        if (person.preferredLanguage() != null && candidate.languages().contains(person.preferredLanguage())) {
            reasons.add(new Reason("preferred-language", person.preferredLanguage()));
            return PREFERRED_LANGUAGE;
        }
        for (String language : new TreeSet<>(person.languages())) {
            if (candidate.languages().contains(language)) {
                reasons.add(new Reason("shared-language", language));
                return OTHER_LANGUAGE;
            }
        }
        if (!person.languages().isEmpty()) {
            reasons.add(new Reason("no-shared-language", "Speaks none of " + String.join(", ",
                    new TreeSet<>(person.languages()))));
        }
        return 0;
    }

    private static Set<String> without(Set<String> all, Set<String> removed) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(removed);
        return rest;
    }
}
