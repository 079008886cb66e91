package org.alongside.billing;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.alongside.mentorship.BillingUnits;

/**
 * How sessions become H0038 lines: the unit rule ({@link BillingUnits}), the time zone whose calendar days are
 * the dates of service, the place-of-service codes and the telehealth modifiers. Place of service and telehealth
 * modifiers vary by state and payer, so each is a setting (docs/ehr-integration.md lists them); the defaults follow
 * CMS: POS 11 (office) in person, POS 02 (telehealth provided other than in the patient's home) remotely,
 * modifier 95 for synchronous audio-video and 93 for audio only. A state that wants GT, or POS 10 (telehealth in the
 * patient's home), sets it.
 */
public record BillingPolicy(BillingUnits units, ZoneId zone, String inPersonPlace, String telehealthPlace,
                            String videoModifier, String phoneModifier, int defaultDailyUnitCap) {

    public static final String GROUP_MODIFIER = "HQ";

    public BillingPolicy {
        if (defaultDailyUnitCap <= 0) {
            throw new IllegalArgumentException("the daily unit cap must be positive");
        }
    }

    /** Text messages are asynchronous: not billable as H0038 (DOMAIN: usually not, state-specific). */
    public boolean billableModality(String modality) {
        return "in-person".equals(modality) || "phone".equals(modality) || "video".equals(modality);
    }

    public String placeOfService(String modality) {
        return "in-person".equals(modality) ? inPersonPlace : telehealthPlace;
    }

    /** HQ first for a group, then the telehealth modifier; "none" (a state with no telehealth modifier) is left out. */
    public List<String> modifiers(String modality, boolean group) {
        List<String> modifiers = new ArrayList<>();
        if (group) {
            modifiers.add(GROUP_MODIFIER);
        }
        String telehealth = switch (modality == null ? "" : modality) {
            case "video" -> videoModifier;
            case "phone" -> phoneModifier;
            default -> null;
        };
        if (telehealth != null && !telehealth.isBlank() && !"none".equalsIgnoreCase(telehealth.trim())) {
            modifiers.add(telehealth.trim().toUpperCase(Locale.ROOT));
        }
        return modifiers;
    }
}
