package org.alongside.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrustedIssuerTest {

    @Test
    void anEntryNamesTheIssuerItsKeysAndItsScopes() {
        assertThat(TrustedIssuer.parse(" https://ehr.example/cds|https://ehr.example/jwks|system/Patient.rs system/Flag.rs"))
                .isEqualTo(new TrustedIssuer("https://ehr.example/cds", "https://ehr.example/jwks",
                        "system/Patient.rs system/Flag.rs"));
    }

    @Test
    void withoutScopesTheIssuerReadsWithSystemReadScopes() {
        assertThat(TrustedIssuer.parse("ehr-prod|https://ehr.example/jwks").scopes()).isEqualTo("system/*.rs");
    }

    @Test
    void anEntryWithoutAKeySetUrlIsRefused() {
        assertThatThrownBy(() -> TrustedIssuer.parse("https://ehr.example/cds"))
                .hasMessageContaining("issuer|jwks-uri[|scopes]");
        assertThatThrownBy(() -> TrustedIssuer.parse("ehr|file:///etc/keys")).isInstanceOf(IllegalArgumentException.class);
    }
}
