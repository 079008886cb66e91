package org.alongside.mentorship;

/** The code systems, codes and profile URLs of the mentorship model (fhir-profiles/ holds their definitions). */
public final class MentorshipCodes {

    public static final String BASE = "http://alongside.health/fhir";

    public static final String NUCC = "http://nucc.org/provider-taxonomy";
    public static final String PEER_SPECIALIST = "175T00000X";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String REFERRAL_TO_PEER_SUPPORT = "461481000124109";
    public static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public static final String PEER_SERVICES = "H0038";
    public static final String GROUP_MODIFIER = "HQ";
    public static final String TASK_CODES = "http://hl7.org/fhir/CodeSystem/task-code";
    public static final String V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public static final String CARE_TEAM_CATEGORY = BASE + "/CodeSystem/care-team-category";
    public static final String CARE_TEAM_ROLE = BASE + "/CodeSystem/care-team-role";
    public static final String END_REASON = BASE + "/CodeSystem/end-reason";
    public static final String FOCUS_AREA = BASE + "/CodeSystem/focus-area";
    public static final String MESSAGE_CATEGORY = BASE + "/CodeSystem/message-category";
    public static final String SESSION_MODALITY = BASE + "/CodeSystem/session-modality";
    public static final String GOAL_CATEGORY = BASE + "/CodeSystem/goal-category";
    public static final String LIVED_EXPERIENCE = BASE + "/CodeSystem/lived-experience";
    public static final String MATCH_REASON = BASE + "/CodeSystem/match-reason";
    /** "I'm worried" escalations (Task.code, Flag.code), crisis lines (Organization.contact.purpose), safety plans. */
    public static final String CRISIS_SUPPORT = BASE + "/CodeSystem/crisis-support";
    /** Engagement alerts (Task.code, statusReason, input types): no peer contact for too long, and how one ends. */
    public static final String ENGAGEMENT_ALERT = BASE + "/CodeSystem/engagement-alert";
    public static final String NO_PEER_CONTACT = "no-peer-contact";

    public static final String EXT_SUPERVISED_BY = BASE + "/StructureDefinition/supervised-by";
    public static final String EXT_SESSION_MODALITY = BASE + "/StructureDefinition/session-modality";
    public static final String EXT_BILLING_UNITS = BASE + "/StructureDefinition/billing-units";
    public static final String EXT_GROUP_SESSION = BASE + "/StructureDefinition/group-session";
    public static final String EXT_LIVED_EXPERIENCE = BASE + "/StructureDefinition/lived-experience";
    /** On Organization: days without peer contact after which its mentees' care teams get an engagement alert. */
    public static final String EXT_ENGAGEMENT_DAYS = BASE + "/StructureDefinition/engagement-alert-days";
    public static final String EXT_NOTE_FORMAT = BASE + "/StructureDefinition/note-format";
    public static final String EXT_MENTOR_PREFERENCE = BASE + "/StructureDefinition/peer-mentor-preference";

    public static final String PROFILE_REFERRAL = BASE + "/StructureDefinition/peer-mentor-referral";
    public static final String PROFILE_TASK = BASE + "/StructureDefinition/peer-mentor-task";
    public static final String PROFILE_TEAM = BASE + "/StructureDefinition/peer-support-team";
    public static final String PROFILE_SESSION = BASE + "/StructureDefinition/peer-support-session";
    public static final String PROFILE_NOTE = BASE + "/StructureDefinition/peer-session-note";
    public static final String PROFILE_ENGAGEMENT_ALERT = BASE + "/StructureDefinition/engagement-alert";
    public static final String PROFILE_GOAL = BASE + "/StructureDefinition/recovery-goal";

    private MentorshipCodes() {
    }
}
