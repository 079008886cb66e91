package org.alongside.cds;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.alongside.mentorship.MentorshipCodes;

/**
 * The discharge card (pure): a person with a substance-use or mental-health condition and no peer mentor is about to
 * leave, and a peer contact in the first days matters most. It suggests the best-matched peer: the suggestion's
 * action creates the referral ({@code ServiceRequest}, SNOMED 461481000124109) in the EHR's record, and when the EHR
 * reports it accepted (feedback), Alongside assigns that peer through {@code $assign-peer-mentor}. A SMART link opens
 * the picker to choose another peer.
 */
public final class ReferralCard {

    /** The peer ranked first for the person's care plan, with the reasons for the place. */
    public record Match(String peer, String name, List<String> reasons) {
    }

    private ReferralCard() {
    }

    /**
     * @param areas        what the person's conditions are about ({@code substance-use}, {@code mental-health})
     * @param match        the best match, when Alongside has a plan to assign in and a peer who can take the person
     * @param suggestionId the suggestion's uuid (stored with what accepting it does); empty: no suggestion
     */
    public static JsonObject build(String patientId, Set<String> areas, Optional<String> carePlanId,
                                   Optional<Match> match, Optional<String> suggestionId, Optional<String> assigner,
                                   String launchUrl) {
        String about = areas.contains("substance-use") && areas.contains("mental-health")
                ? "substance use and mental health conditions"
                : areas.contains("substance-use") ? "a substance use condition" : "a mental health condition";
        StringBuilder detail = new StringBuilder("This person has ").append(about).append(" and no peer mentor. "
                + "A peer contact within the first days after discharge matters most.\n");
        match.ifPresent(m -> detail.append("\nBest match: **").append(m.name()).append("**\n")
                .append(String.join("\n", m.reasons().stream().map(r -> "- " + r).toList())).append('\n'));
        if (carePlanId.isEmpty()) {
            detail.append("\nAlongside has no active care plan for this person to assign a peer mentor in.\n");
        }
        JsonObjectBuilder card = Json.createObjectBuilder()
                .add("uuid", UUID.randomUUID().toString())
                .add("summary", "No peer mentor yet: refer to peer support before discharge")
                .add("indicator", "warning")
                .add("detail", detail.toString())
                .add("source", Json.createObjectBuilder().add("label", PatientViewCard.SOURCE));
        if (match.isPresent() && suggestionId.isPresent() && assigner.isPresent()) {
            Match m = match.get();
            card.add("suggestions", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("label", PatientViewCard.shorten("Assign " + m.name() + " as peer mentor"))
                    .add("uuid", suggestionId.get())
                    .add("isRecommended", true)
                    .add("actions", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("type", "create")
                            .add("description", "Refer to peer support with " + m.name())
                            .add("resource", referral(patientId, m, assigner.get()))))));
            card.add("selectionBehavior", "at-most-one");
        }
        carePlanId.ifPresent(plan -> card.add("links", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("label", "Choose a peer mentor in Alongside")
                .add("url", launchUrl)
                .add("type", "smart")
                .add("appContext", Json.createObjectBuilder().add("carePlan", "CarePlan/" + plan).build().toString()))));
        return card.build();
    }

    /** The referral as the EHR records it: to the peer, requested by the clinician at discharge. */
    static JsonObject referral(String patientId, Match match, String requester) {
        return Json.createObjectBuilder()
                .add("resourceType", "ServiceRequest")
                .add("status", "active")
                .add("intent", "order")
                .add("code", Json.createObjectBuilder().add("coding", Json.createArrayBuilder().add(
                        Json.createObjectBuilder().add("system", MentorshipCodes.SNOMED)
                                .add("code", MentorshipCodes.REFERRAL_TO_PEER_SUPPORT)
                                .add("display", "Referral to peer support"))))
                .add("subject", Json.createObjectBuilder().add("reference", "Patient/" + patientId))
                .add("requester", Json.createObjectBuilder().add("reference", requester))
                .add("performer", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("reference", match.peer()).add("display", match.name())))
                .build();
    }
}
