package org.alongside.cds;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alongside.mentorship.MentorshipCodes;
import org.alongside.mentorship.RecoveryCapital;

/**
 * The services Alongside offers and the discovery document that lists them ({@code GET /cds-services}), each with the
 * prefetch templates an EHR fills in so that the card is built from data it already holds.
 */
public final class CdsServiceCatalog {

    /** One CDS service: its id (the last segment of its URL), the hook it answers and its prefetch templates. */
    public record Service(String id, String hook, String title, String description, Map<String, String> prefetch) {
    }

    static final String PEER_ASSIGNMENTS = "peerAssignments";
    static final String PEER_SESSIONS = "peerSessions";
    static final String PEER_MESSAGES = "peerMessages";
    static final String OPEN_ESCALATIONS = "openEscalations";
    static final String CONDITIONS = "conditions";
    static final String FIRST_RECOVERY_SCORE = "firstRecoveryScore";
    static final String LATEST_RECOVERY_SCORE = "latestRecoveryScore";
    static final String ENGAGEMENT_ALERTS = "engagementAlerts";
    /** The statuses of an engagement alert nobody has closed yet. */
    static final String OPEN_ALERT_STATUSES = "requested,received,accepted,in-progress";

    public static final Service PEER_SUPPORT = new Service("alongside-peer-support", "patient-view",
            "Peer support in Alongside",
            "The person's peer mentor, last and next peer contact, open escalations and engagement alerts, and "
                    + "the latest recovery capital score, with a link to the peer support and therapy side-by-side view.",
            patientViewPrefetch());

    public static final Service PEER_REFERRAL = new Service("alongside-peer-referral", "encounter-discharge",
            "Peer support referral at discharge",
            "Suggests assigning the best-matched peer mentor when a person with a substance use or mental health "
                    + "condition leaves without one: a peer contact in the first days after discharge matters most.",
            referralPrefetch());

    public static final List<Service> SERVICES = List.of(PEER_SUPPORT, PEER_REFERRAL);

    private CdsServiceCatalog() {
    }

    private static final String ASSIGNMENTS_TEMPLATE = "ServiceRequest?patient={{context.patientId}}&code="
            + MentorshipCodes.SNOMED + "|" + MentorshipCodes.REFERRAL_TO_PEER_SUPPORT
            + "&status=active&_include=ServiceRequest:performer&_include:iterate=PractitionerRole:practitioner";

    private static Map<String, String> referralPrefetch() {
        Map<String, String> prefetch = new LinkedHashMap<>();
        prefetch.put(CONDITIONS, "Condition?patient={{context.patientId}}&clinical-status=active");
        prefetch.put(PEER_ASSIGNMENTS, ASSIGNMENTS_TEMPLATE);
        return prefetch;
    }

    private static Map<String, String> patientViewPrefetch() {
        Map<String, String> prefetch = new LinkedHashMap<>();
        prefetch.put(PEER_ASSIGNMENTS, ASSIGNMENTS_TEMPLATE);
        prefetch.put(PEER_SESSIONS, "Encounter?patient={{context.patientId}}&type=" + MentorshipCodes.HCPCS + "|"
                + MentorshipCodes.PEER_SERVICES + "&_sort=-date&_count=1");
        prefetch.put(PEER_MESSAGES, "Communication?patient={{context.patientId}}&category="
                + MentorshipCodes.MESSAGE_CATEGORY + "|&_sort=-sent&_count=1");
        // R4 Flag has no status or code search parameter: the person's flags, the open escalations picked out here
        prefetch.put(OPEN_ESCALATIONS, "Flag?patient={{context.patientId}}");
        String scores = "Observation?patient={{context.patientId}}&code=" + RecoveryCapital.CODE_SYSTEM + "|"
                + RecoveryCapital.TOTAL + "&status=final,amended,corrected&_sort=";
        prefetch.put(FIRST_RECOVERY_SCORE, scores + "date&_count=1");
        prefetch.put(LATEST_RECOVERY_SCORE, scores + "-date&_count=1");
        prefetch.put(ENGAGEMENT_ALERTS, "Task?patient={{context.patientId}}&code=" + MentorshipCodes.ENGAGEMENT_ALERT
                + "|" + MentorshipCodes.NO_PEER_CONTACT + "&status=" + OPEN_ALERT_STATUSES);
        return prefetch;
    }

    public static Optional<Service> byId(String id) {
        return SERVICES.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The discovery document: {@code services[]} with hook, id, title, description and prefetch. */
    public static JsonObject discovery() {
        JsonArrayBuilder services = Json.createArrayBuilder();
        for (Service service : SERVICES) {
            JsonObjectBuilder prefetch = Json.createObjectBuilder();
            service.prefetch().forEach(prefetch::add);
            services.add(Json.createObjectBuilder()
                    .add("hook", service.hook())
                    .add("id", service.id())
                    .add("title", service.title())
                    .add("description", service.description())
                    .add("prefetch", prefetch));
        }
        return Json.createObjectBuilder().add("services", services).build();
    }
}
