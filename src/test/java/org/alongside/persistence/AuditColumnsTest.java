package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.alongside.audit.AuditRecord;
import org.alongside.persistence.audit.AuditEventRow;
import org.junit.jupiter.api.Test;

/** An audit record goes into the columns of audit_event and comes back the same (JpaAuditStore.row and record). */
class AuditColumnsTest {

    private static final Instant AT = Instant.parse("2026-12-01T04:30:00.123Z");

    @Test
    void aDisclosureByAnIdentifiedUserComesBackAsItWasRecorded() {
        AuditRecord record = new AuditRecord("e-1", AT, "search-type", "R", 200, true, "HOPERAT",
                new AuditRecord.Agent("Practitioner/pr-1", "u-17", "alongside-app", List.of("clinician", "supervisor")),
                false, "10.0.0.7", "subject=Patient/p1&_count=20", "req-1",
                List.of("Communication/c1", "Communication/c2/_history/3"), List.of("p1", "p2"));
        AuditEventRow row = JpaAuditStore.row(record);
        assertThat(row.getSubtype()).isEqualTo(",search-type,disclosure,");
        assertThat(row.getAgent()).isEqualTo("Practitioner/pr-1");
        assertThat(JpaAuditStore.record(row)).isEqualTo(record);
    }

    @Test
    void theServersOwnWorkWithNothingTouchedComesBackAsItWasRecorded() {
        AuditRecord record = new AuditRecord("e-2", AT, "update", "U", 200, false, "TREAT", null, true, null, null,
                "req-2", List.of(), List.of());
        AuditEventRow row = JpaAuditStore.row(record);
        assertThat(row.getSubtype()).isEqualTo(",update,");
        assertThat(JpaAuditStore.record(row)).isEqualTo(record);
    }

    @Test
    void valuesLongerThanTheirColumnsAreCutAndTheRestIsKept() {
        String longSubject = "s".repeat(300);
        AuditRecord record = new AuditRecord("e-3", AT, "read", "R", 404, false, "TREAT",
                new AuditRecord.Agent(null, longSubject, null, List.of()), false, null, null, "r".repeat(200),
                List.of("Patient/p9"), List.of("p9"));
        AuditRecord back = JpaAuditStore.record(JpaAuditStore.row(record));
        assertThat(back.agent().subject()).hasSize(256);
        assertThat(back.requestId()).hasSize(128);
        assertThat(back.agent().fhirUser()).isNull();
        assertThat(back.status()).isEqualTo(404);
        assertThat(back.references()).containsExactly("Patient/p9");
        assertThat(back.patients()).containsExactly("p9");
    }
}
