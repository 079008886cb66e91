package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.alongside.security.Caller;
import org.alongside.security.Interaction;
import org.alongside.security.Role;
import org.alongside.security.ScopeSet;
import org.junit.jupiter.api.Test;

class SubscriptionOwnerTest {

    @Test
    void aCallerComesBackWithTheSameRolesScopesContextAndPurpose() {
        Caller caller = new Caller("svc-1", Set.of(Role.EHR_SYSTEM), ScopeSet.parse("patient/*.rs openid"),
                Optional.of("Device/ehr"), Optional.of("Patient/p1"), "ehr-client", "TREAT");
        Caller back = SubscriptionOwner.decode(SubscriptionOwner.encode(caller)).orElseThrow();
        assertThat(back.subject()).isEqualTo("svc-1");
        assertThat(back.roles()).containsExactly(Role.EHR_SYSTEM);
        assertThat(back.scopes().permits(ScopeSet.Context.PATIENT, "Encounter", Interaction.READ)).isTrue();
        assertThat(back.scopes().permits(ScopeSet.Context.SYSTEM, "Encounter", Interaction.READ)).isFalse();
        assertThat(back.fhirUser()).contains("Device/ehr");
        assertThat(back.launchPatient()).contains("Patient/p1");
        assertThat(back.clientId()).isEqualTo("ehr-client");
        assertThat(back.purposeOfUse()).isEqualTo("TREAT");
    }

    @Test
    void nothingOrSomethingUnreadableIsNoOwner() {
        assertThat(SubscriptionOwner.decode(null)).isEmpty();
        assertThat(SubscriptionOwner.decode("not json")).isEmpty();
    }
}
