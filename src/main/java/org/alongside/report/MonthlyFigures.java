package org.alongside.report;

import java.time.YearMonth;

/**
 * One month's figures for a program or a peer. Counts are whole numbers; the median days between contacts and the
 * mean recovery score change are null when there is nothing to take them over (no interval, no mentee scored twice).
 *
 * @param activeMentees          distinct mentees with a mentorship open at any time in the month
 * @param contacts               peer contacts in the month (sessions that ended, messages sent)
 * @param medianDaysBetweenContacts median of the gaps, in days to the tenth, between a mentee's consecutive contacts
 *                               where the later contact falls in the month
 * @param sessions               peer sessions that took place, started in the month
 * @param units                  their H0038 units under the billing unit rule
 * @param goalsAchieved          goals of the mentees achieved in the month
 * @param menteesScored          active mentees with at least two BARC-10 scores by the end of the month
 * @param meanScoreChange        their mean change from first to latest score (to the tenth)
 * @param escalations            "I'm worried" escalations raised in the month
 * @param supervisionMinutes     minutes of supervision the peers received in the month
 */
public record MonthlyFigures(YearMonth month, int activeMentees, int contacts, Double medianDaysBetweenContacts,
                             int sessions, int units, int goalsAchieved, int menteesScored, Double meanScoreChange,
                             int escalations, int supervisionMinutes) {

    /** Supervision as hours to the tenth (rounded half up), as certification boards count them. */
    public double supervisionHours() {
        return Math.round(supervisionMinutes / 6.0) / 10.0;
    }
}
