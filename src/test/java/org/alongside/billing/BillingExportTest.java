package org.alongside.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.alongside.billing.BillableSession.CoSignature;
import org.alongside.mentorship.BillingUnits;
import org.junit.jupiter.api.Test;

class BillingExportTest {

    static final BillingPolicy POLICY = new BillingPolicy(new BillingUnits(15, 8), ZoneOffset.UTC, "11", "02", "95",
            "93", 16);
    static final LocalDate START = LocalDate.parse("2026-03-01");
    static final LocalDate END = LocalDate.parse("2026-03-31");

    /** A billable 40-minute video session (3 units) of Maria on 10 March, unless changed. */
    static Builder session() {
        return new Builder();
    }

    static final class Builder {
        String encounter = "Encounter/s1";
        String patient = "Patient/maria";
        Instant start = Instant.parse("2026-03-10T14:00:00Z");
        int minutes = 40;
        boolean finished = true;
        String modality = "video";
        boolean group;
        CoSignature coSignature = CoSignature.CURRENT;
        List<String> diagnoses = List.of("F11.20");
        boolean part2;
        boolean consent;
        int cap = 16;

        Builder id(String id) { encounter = "Encounter/" + id; return this; }
        Builder patient(String id) { patient = "Patient/" + id; return this; }
        Builder at(String instant) { start = Instant.parse(instant); return this; }
        Builder minutes(int m) { minutes = m; return this; }
        Builder finished(boolean f) { finished = f; return this; }
        Builder modality(String m) { modality = m; return this; }
        Builder group() { group = true; return this; }
        Builder signed(CoSignature c) { coSignature = c; return this; }
        Builder diagnoses(String... codes) { diagnoses = List.of(codes); return this; }
        Builder part2(boolean consented) { part2 = true; consent = consented; return this; }
        Builder cap(int units) { cap = units; return this; }

        BillableSession build() {
            return new BillableSession(encounter, patient, "Lopez, Maria", "urn:mrn|123", start,
                    start.plusSeconds(minutes * 60L), finished, modality, group, "PractitionerRole/jordan", "1234567893",
                    coSignature, coSignature == CoSignature.NONE ? null : "PractitionerRole/sam", null, diagnoses,
                    part2, consent, cap);
        }
    }

    static BillingExport.Result export(BillableSession... sessions) {
        return BillingExport.build(List.of(sessions), START, END, POLICY);
    }

    @Test
    void aCoSignedSessionWithADiagnosisIsOneLineWithItsUnitsPlaceAndTelehealthModifier() {
        BillingExport.Result result = export(session().build());
        assertThat(result.excluded()).isEmpty();
        BillingExport.Line line = result.lines().get(0);
        assertThat(line.date()).isEqualTo(LocalDate.parse("2026-03-10"));
        assertThat(line.units()).isEqualTo(3);
        assertThat(line.placeOfService()).isEqualTo("02");
        assertThat(line.modifiers()).containsExactly("95");
        assertThat(result.totalUnits()).isEqualTo(3);
    }

    @Test
    void inPersonIsOfficeWithoutModifierPhoneIsAudioOnlyAndAGroupCarriesHqFirst() {
        BillingExport.Result result = export(session().id("a").modality("in-person").build(),
                session().id("b").modality("phone").at("2026-03-11T10:00:00Z").build(),
                session().id("c").modality("video").group().at("2026-03-12T10:00:00Z").build());
        assertThat(result.lines()).extracting(l -> l.placeOfService() + " " + l.modifiers())
                .containsExactly("11 []", "02 [93]", "02 [HQ, 95]");
    }

    @Test
    void aStateThatWantsGtAndHomeTelehealthSetsItAndNoneLeavesTheModifierOut() {
        BillingPolicy state = new BillingPolicy(new BillingUnits(15, 8), ZoneOffset.UTC, "53", "10", "gt", "none", 16);
        assertThat(state.modifiers("video", false)).containsExactly("GT");
        assertThat(state.modifiers("phone", true)).containsExactly("HQ");
        assertThat(state.placeOfService("video")).isEqualTo("10");
        assertThat(state.placeOfService("in-person")).isEqualTo("53");
    }

    @Test
    void eachSessionThatFailsARuleIsListedWithTheFirstReasonThatApplies() {
        BillingExport.Result result = export(
                session().id("unsigned").signed(CoSignature.NONE).diagnoses().build(),
                session().id("edited").signed(CoSignature.OUTDATED).build(),
                session().id("nodx").diagnoses().build(),
                session().id("text").modality("text").signed(CoSignature.NONE).build(),
                session().id("unknown").modality(null).build(),
                session().id("short").minutes(7).build(),
                session().id("planned").finished(false).signed(CoSignature.NONE).build(),
                session().id("part2").part2(false).build());
        assertThat(result.lines()).isEmpty();
        assertThat(result.excluded()).extracting(e -> e.session().encounter() + " " + e.reason().code())
                .containsExactlyInAnyOrder("Encounter/unsigned not-cosigned", "Encounter/edited changed-after-cosignature",
                        "Encounter/nodx no-diagnosis", "Encounter/text asynchronous", "Encounter/unknown no-modality",
                        "Encounter/short no-units", "Encounter/planned not-finished",
                        "Encounter/part2 no-payment-consent");
    }

    @Test
    void aPart2SessionWithConsentToDisclosureForPaymentIsBilled() {
        assertThat(export(session().part2(true).build()).lines()).hasSize(1);
    }

    @Test
    void theDailyCapBillsSessionsInTheOrderTheyStartedAndExcludesWholeTheOneThatWouldExceedIt() {
        // 8 + 6 + 4 units with a cap of 16: the third would make 18; a later 2-unit session still fits
        BillingExport.Result result = export(
                session().id("morning").at("2026-03-10T08:00:00Z").minutes(120).cap(16).build(),
                session().id("noon").at("2026-03-10T12:00:00Z").minutes(90).cap(16).build(),
                session().id("afternoon").at("2026-03-10T15:00:00Z").minutes(60).cap(16).build(),
                session().id("evening").at("2026-03-10T19:00:00Z").minutes(30).cap(16).build(),
                session().id("next-day").at("2026-03-11T08:00:00Z").minutes(60).cap(16).build(),
                session().id("someone-else").patient("lee").at("2026-03-10T15:00:00Z").minutes(60).cap(16).build());
        assertThat(result.lines()).extracting(l -> l.session().encounter() + " " + l.units())
                .containsExactlyInAnyOrder("Encounter/morning 8", "Encounter/noon 6", "Encounter/evening 2",
                        "Encounter/next-day 4", "Encounter/someone-else 4");
        assertThat(result.excluded()).singleElement().satisfies(e -> {
            assertThat(e.session().encounter()).isEqualTo("Encounter/afternoon");
            assertThat(e.reason()).isEqualTo(ExclusionReason.OVER_DAILY_CAP);
            assertThat(e.units()).isEqualTo(4);
            assertThat(e.detail()).contains("14 already billed", "cap of 16");
        });
    }

    @Test
    void sessionsThatFailAnotherRuleDoNotUseUpTheDailyCap() {
        BillingExport.Result result = export(
                session().id("unsigned").at("2026-03-10T08:00:00Z").minutes(240).signed(CoSignature.NONE).cap(4).build(),
                session().id("signed").at("2026-03-10T13:00:00Z").minutes(60).cap(4).build());
        assertThat(result.lines()).extracting(l -> l.session().encounter()).containsExactly("Encounter/signed");
    }

    @Test
    void bothEndsOfThePeriodAreIncludedAndDaysOutsideItAreNotMentioned() {
        BillingExport.Result result = export(
                session().id("first").at("2026-03-01T00:00:00Z").build(),
                session().id("last").at("2026-03-31T23:50:00Z").minutes(9).build(),
                session().id("before").at("2026-02-28T23:59:00Z").build(),
                session().id("after").at("2026-04-01T00:00:00Z").signed(CoSignature.NONE).build());
        assertThat(result.lines()).extracting(l -> l.session().encounter())
                .containsExactlyInAnyOrder("Encounter/first", "Encounter/last");
        assertThat(result.excluded()).isEmpty();
    }

    @Test
    void theDateOfServiceIsTheClinicsCalendarDay() {
        BillingPolicy newYork = new BillingPolicy(new BillingUnits(15, 8), ZoneId.of("America/New_York"), "11", "02",
                "95", "93", 16);
        // 02:00 UTC on 1 March is still 28 February in New York: outside March
        BillingExport.Result result = BillingExport.build(List.of(session().at("2026-03-01T02:00:00Z").build(),
                session().id("s2").at("2026-04-01T02:00:00Z").build()), START, END, newYork);
        assertThat(result.lines()).extracting(BillingExport.Line::date).containsExactly(LocalDate.parse("2026-03-31"));
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> BillingExport.build(List.of(), END, START, POLICY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
