package org.alongside.mentorship;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/**
 * The Brief Assessment of Recovery Capital (BARC-10, Vilsaint et al. 2017), pure: which responses are BARC-10
 * responses, what makes one complete (each of the ten items answered exactly once with a point of the six-point
 * agreement scale), its total (10 to 60), the score Observation derived from it, and the change between a person's
 * first and latest scores. The Questionnaire itself is conformance data (fhir-profiles/Questionnaire/barc-10.json);
 * its linkIds are "1" to "10" and the answer codes "1" to "6" are the item scores.
 */
public final class RecoveryCapital {

    public static final String QUESTIONNAIRE = MentorshipCodes.BASE + "/Questionnaire/barc-10";
    public static final String CODE_SYSTEM = MentorshipCodes.BASE + "/CodeSystem/recovery-capital";
    public static final String SCALE = MentorshipCodes.BASE + "/CodeSystem/agreement-scale";
    public static final String TOTAL = "barc-10-total";
    public static final String PROFILE_RESPONSE = MentorshipCodes.BASE + "/StructureDefinition/recovery-capital-response";
    public static final String PROFILE_SCORE = MentorshipCodes.BASE + "/StructureDefinition/recovery-capital-score";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final int ITEMS = 10;
    public static final int LOWEST_ANSWER = 1;
    public static final int HIGHEST_ANSWER = 6;
    public static final int MIN_SCORE = ITEMS * LOWEST_ANSWER;
    public static final int MAX_SCORE = ITEMS * HIGHEST_ANSWER;

    private RecoveryCapital() {
    }

    /** A response to the BARC-10 (its questionnaire canonical, with or without a |version). */
    public static boolean isResponse(QuestionnaireResponse response) {
        String canonical = response.getQuestionnaire();
        return canonical != null && (canonical.equals(QUESTIONNAIRE) || canonical.startsWith(QUESTIONNAIRE + "|"));
    }

    /** A BARC-10 total score Observation. */
    public static boolean isScore(Observation observation) {
        return observation.getCode().hasCoding(CODE_SYSTEM, TOTAL);
    }

    /**
     * What keeps a BARC-10 response from being scored, in words for an integrator (no answer values are quoted):
     * empty when each item 1 to 10 is answered exactly once with a code 1 to 6 of the agreement scale.
     */
    public static List<String> problems(QuestionnaireResponse response) {
        List<String> problems = new ArrayList<>();
        if (response.getStatus() != QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED
                && response.getStatus() != QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED) {
            problems.add("A BARC-10 response is stored completed (or amended), not "
                    + (response.getStatus() == null ? "without a status" : response.getStatus().toCode()));
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : response.getItem()) {
            String linkId = item.getLinkId();
            if (itemNumber(linkId).isEmpty()) {
                problems.add("Item '" + linkId + "' is not a BARC-10 item (linkIds are 1 to " + ITEMS + ")");
                continue;
            }
            if (seen.merge(linkId, 1, Integer::sum) == 2) {
                problems.add("Item " + linkId + " is answered more than once");
            }
            if (item.getAnswer().size() != 1) {
                problems.add("Item " + linkId + " needs exactly one answer");
            } else if (answerValue(item.getAnswerFirstRep()).isEmpty()) {
                problems.add("Item " + linkId + " is not answered with a point of the agreement scale (" + SCALE
                        + ", codes " + LOWEST_ANSWER + " to " + HIGHEST_ANSWER + ")");
            }
            if (item.hasItem()) {
                problems.add("Item " + linkId + " has nested items; the BARC-10 has none");
            }
        }
        for (int n = 1; n <= ITEMS; n++) {
            if (!seen.containsKey(String.valueOf(n))) {
                problems.add("Item " + n + " is not answered (every BARC-10 item is required)");
            }
        }
        return problems;
    }

    /** The total, 10 to 60, of a response without {@link #problems}. */
    public static int score(QuestionnaireResponse response) {
        List<String> problems = problems(response);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The response cannot be scored: " + problems);
        }
        return response.getItem().stream().mapToInt(item -> answerValue(item.getAnswerFirstRep()).orElseThrow()).sum();
    }

    /**
     * The score Observation of a stored response: same person, the moment it was answered, the peer who recorded it,
     * derived from the response.
     *
     * @param responseRef the stored response, "QuestionnaireResponse/id"
     */
    public static Observation scoreObservation(QuestionnaireResponse response, String responseRef) {
        Observation score = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(CODE_SYSTEM, TOTAL, "BARC-10 total score")))
                .setSubject(response.getSubject().copy())
                .setEffective(new DateTimeType(response.getAuthored()))
                .setValue(new IntegerType(score(response)));
        score.addCategory(new CodeableConcept(new Coding(OBSERVATION_CATEGORY, "survey", "Survey")));
        if (response.hasAuthor()) {
            score.addPerformer(response.getAuthor().copy());
        }
        score.addDerivedFrom(new Reference(responseRef));
        score.getMeta().addProfile(PROFILE_SCORE);
        return score;
    }

    /** A score as the trend shows it. */
    public record Point(Date when, int score) {
    }

    /** The first and latest scores of a person, and the change between them (latest minus first). */
    public record Trend(Point first, Point latest, int count) {
        public int change() {
            return latest.score() - first.score();
        }
    }

    /**
     * The trend of a person's score Observations: those that count (final, amended or corrected, with a value and an
     * effective time), oldest first; empty when none does.
     */
    public static Optional<Trend> trend(List<Observation> scores) {
        List<Point> points = points(scores);
        if (points.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Trend(points.get(0), points.get(points.size() - 1), points.size()));
    }

    /** The scores that count, oldest first. */
    public static List<Point> points(List<Observation> scores) {
        return scores.stream().filter(RecoveryCapital::counts)
                .map(o -> new Point(o.getEffectiveDateTimeType().getValue(), o.getValueIntegerType().getValue()))
                .sorted(Comparator.comparing(Point::when)).toList();
    }

    private static boolean counts(Observation o) {
        Observation.ObservationStatus status = o.getStatus();
        return isScore(o) && (status == Observation.ObservationStatus.FINAL
                || status == Observation.ObservationStatus.AMENDED || status == Observation.ObservationStatus.CORRECTED)
                && o.hasEffectiveDateTimeType() && o.getEffectiveDateTimeType().getValue() != null
                && o.hasValueIntegerType() && o.getValueIntegerType().getValue() != null;
    }

    private static Optional<Integer> itemNumber(String linkId) {
        if (linkId == null || !linkId.matches("[1-9][0-9]?")) {
            return Optional.empty();
        }
        int n = Integer.parseInt(linkId);
        return n <= ITEMS ? Optional.of(n) : Optional.empty();
    }

    private static Optional<Integer> answerValue(QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent answer) {
        if (!answer.hasValueCoding()) {
            return Optional.empty();
        }
        Coding coding = answer.getValueCoding();
        if (!SCALE.equals(coding.getSystem()) || coding.getCode() == null || !coding.getCode().matches("[1-6]")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(coding.getCode()));
    }
}
