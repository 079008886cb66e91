package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may record a Consent that Part 2 honours, with no server: the rule and the stamp it leaves. */
class ConsentAuthorshipTest {

    private final ConsentAuthorship authorship = new ConsentAuthorship();

    ConsentAuthorshipTest() {
        Part2Config part2 = new Part2Config();
        part2.enabled = true;
        part2.programClients = List.of("program-ehr");
        authorship.part2 = part2;
    }

    @AfterEach
    void leaveNoCaller() {
        RequestAccess.end();
    }

    @Test
    void aRecipientOutsideTheProgramMayNotWriteAConsentForItself() {
        RequestAccess.begin(new RequestAccess(ehr("outside-hie")));
        assertThatThrownBy(() -> authorship.check(new Consent())).isInstanceOf(ForbiddenOperationException.class)
                .hasMessageNotContaining("outside-hie");
    }

    @Test
    void aConsentTheProgramWritesIsStampedWithItsRecorderReplacingWhatTheClientSent() {
        RequestAccess.begin(new RequestAccess(ehr("program-ehr")));
        Consent consent = new Consent();
        consent.addExtension(ConsentAuthorship.RECORDED_BY, new Reference().setDisplay("forged"));
        authorship.check(consent);
        assertThat(consent.getExtensionsByUrl(ConsentAuthorship.RECORDED_BY)).hasSize(1);
        Reference recorder = (Reference) consent.getExtensionByUrl(ConsentAuthorship.RECORDED_BY).getValue();
        assertThat(recorder.getIdentifier().getSystem()).isEqualTo(ConsentDirective.CLIENT_ID_SYSTEM);
        assertThat(recorder.getIdentifier().getValue()).isEqualTo("program-ehr");
    }

    @Test
    void aUserIsRecordedByTheirFhirUser() {
        RequestAccess.begin(new RequestAccess(new Caller("u1", Set.of(Role.CLINICIAN), ScopeSet.parse("user/*.cruds"),
                Optional.of("Practitioner/p1"), Optional.empty(), "alongside-app", "TREAT")));
        Consent consent = new Consent();
        authorship.check(consent);
        assertThat(((Reference) consent.getExtensionByUrl(ConsentAuthorship.RECORDED_BY).getValue()).getReference())
                .isEqualTo("Practitioner/p1");
    }

    private static Caller ehr(String clientId) {
        return new Caller("svc", Set.of(Role.EHR_SYSTEM), ScopeSet.parse("system/*.cruds"), Optional.empty(),
                Optional.empty(), clientId, "TREAT");
    }
}
