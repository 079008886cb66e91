package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * In Part 2 mode, labels every peer session (Encounter and note, HCPCS H0038) and every encouragement
 * (Communication in Alongside's message categories) as restricted substance use disorder information with
 * 42 CFR Part 2 as its basis, however it is written. A SUD counseling note is marked by its writer with
 * {@link #COUNSELING_NOTE}; it then needs a consent of its own to leave the program. An engagement alert (a Task
 * saying that a person has had no peer contact for a while) tells that the person is in the program and how their
 * peer support goes, so it is labelled too; so are a recovery capital assessment (BARC-10 response) and its score,
 * and a next contact a peer schedules (a Task of the peer-contact code system). The "I'm worried" escalation Task
 * and Flag are not yet (a known gap).
 */
@ApplicationScoped
public class Part2Labels implements WriteCheck {

    public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String BASIS_EXTENSION =
            "http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-sec-label-basis";
    public static final String ALONGSIDE_LABELS = "http://alongside.health/fhir/CodeSystem/part2-category";
    public static final String COUNSELING_NOTE = "sud-counseling-note";
    private static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    private static final String MESSAGE_CATEGORY = "http://alongside.health/fhir/CodeSystem/message-category";
    private static final String ENGAGEMENT_ALERT = "http://alongside.health/fhir/CodeSystem/engagement-alert";
    private static final String BARC_10 = "http://alongside.health/fhir/Questionnaire/barc-10";
    private static final String RECOVERY_CAPITAL = "http://alongside.health/fhir/CodeSystem/recovery-capital";
    private static final String PEER_CONTACT = "http://alongside.health/fhir/CodeSystem/peer-contact";

    @Inject
    Part2Config config;

    @Override
    public void check(IBaseResource resource) {
        if (!config.enabled() || !isPeerSupportRecord(resource)) {
            return;
        }
        Resource record = (Resource) resource;
        if (!hasLabel(record, ACT_CODE, "SUD")) {
            Coding sud = record.getMeta().addSecurity().setSystem(ACT_CODE).setCode("SUD")
                    .setDisplay("substance use disorder information sensitivity");
            sud.addExtension(BASIS_EXTENSION, new Coding(ACT_CODE, "42CFRPart2", "42 CFR Part2"));
        }
        if (!hasLabel(record, CONFIDENTIALITY, "R")) {
            record.getMeta().addSecurity(new Coding(CONFIDENTIALITY, "R", "restricted"));
        }
    }

    static boolean isPeerSupportRecord(IBaseResource resource) {
        if (resource instanceof Encounter) {
            return ((Encounter) resource).getType().stream().anyMatch(t -> t.hasCoding(HCPCS, "H0038"));
        }
        if (resource instanceof Procedure) {
            return ((Procedure) resource).getCode().hasCoding(HCPCS, "H0038");
        }
        if (resource instanceof Communication) {
            return ((Communication) resource).getCategory().stream().anyMatch(c -> c.getCoding().stream()
                    .anyMatch(coding -> MESSAGE_CATEGORY.equals(coding.getSystem())));
        }
        if (resource instanceof Task task) {
            return task.getCode().getCoding().stream()
                    .anyMatch(c -> ENGAGEMENT_ALERT.equals(c.getSystem()) || PEER_CONTACT.equals(c.getSystem()));
        }
        if (resource instanceof QuestionnaireResponse response) {
            String canonical = response.getQuestionnaire();
            return canonical != null && canonical.startsWith(BARC_10);
        }
        if (resource instanceof Observation observation) {
            return observation.getCode().getCoding().stream().anyMatch(c -> RECOVERY_CAPITAL.equals(c.getSystem()));
        }
        return false;
    }

    /** A record that may leave the program only under consent. */
    public static boolean isPart2Record(IBaseResource resource) {
        return hasLabel(resource, ACT_CODE, "SUD") || hasLabel(resource, ACT_CODE, "ETHUD")
                || hasLabel(resource, ACT_CODE, "OPIOIDUD") || hasLabel(resource, ACT_CODE, "ETH");
    }

    /** The refrain label NORDSCLCD, "no redisclosure without consent", on a Part 2 record leaving the program. */
    static void markNoRedisclosure(IBaseResource resource) {
        if (isPart2Record(resource) && !hasLabel(resource, ACT_CODE, "NORDSCLCD")) {
            resource.getMeta().addSecurity().setSystem(ACT_CODE).setCode("NORDSCLCD")
                    .setDisplay("no redisclosure without consent directive");
        }
    }

    public static boolean isCounselingNote(IBaseResource resource) {
        return hasLabel(resource, ALONGSIDE_LABELS, COUNSELING_NOTE);
    }

    static boolean hasLabel(IBaseResource resource, String system, String code) {
        return resource.getMeta().getSecurity().stream()
                .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }
}
