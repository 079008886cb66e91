package org.alongside.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneId;
import org.alongside.config.AlongsideConfig;
import org.alongside.mentorship.BillingUnits;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The billing export's settings (MicroProfile Config; environment variables such as
 * {@code ALONGSIDE_BILLING_DAILYUNITCAP} work too). The unit rule is the sessions' own
 * ({@code alongside.billing.unit-minutes}, {@code alongside.billing.minimum-minutes}).
 */
@ApplicationScoped
public class BillingConfig {

    /**
     * Units billed at most per person per day where the peer's Organization sets no cap of its own (extension
     * billing-daily-unit-cap). 16 units is four hours, a common state limit for H0038; set your state's.
     */
    @Inject
    @ConfigProperty(name = "alongside.billing.daily-unit-cap", defaultValue = "16")
    int dailyUnitCap;

    /** The time zone whose calendar days are the dates of service (the clinic's). */
    @Inject
    @ConfigProperty(name = "alongside.billing.time-zone", defaultValue = "UTC")
    String timeZone;

    /** CMS place of service for sessions in person: 11 office (53 community mental health center, 99 other...). */
    @Inject
    @ConfigProperty(name = "alongside.billing.place-of-service.in-person", defaultValue = "11")
    String inPersonPlace;

    /** Place of service for phone and video sessions: 02 telehealth other than in the patient's home, or 10 in it. */
    @Inject
    @ConfigProperty(name = "alongside.billing.place-of-service.telehealth", defaultValue = "02")
    String telehealthPlace;

    /** Modifier for video sessions: 95 (synchronous audio-video), or GT where the state's Medicaid wants it. */
    @Inject
    @ConfigProperty(name = "alongside.billing.modifier.video", defaultValue = "95")
    String videoModifier;

    /** Modifier for phone (audio-only) sessions: 93, or {@code none}. */
    @Inject
    @ConfigProperty(name = "alongside.billing.modifier.phone", defaultValue = "93")
    String phoneModifier;

    /** Days one export may cover at most, so that one request stays a bounded amount of work. */
    @Inject
    @ConfigProperty(name = "alongside.billing.max-period-days", defaultValue = "92")
    int maxPeriodDays;

    @Inject
    AlongsideConfig config;

    public BillingPolicy policy() {
        return new BillingPolicy(new BillingUnits(config.billingUnitMinutes(), config.billingMinimumMinutes()),
                ZoneId.of(timeZone), inPersonPlace, telehealthPlace, videoModifier, phoneModifier, dailyUnitCap);
    }

    public int maxPeriodDays() {
        return maxPeriodDays;
    }
}
