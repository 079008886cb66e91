package org.alongside.cds;

import java.util.List;

/**
 * An EHR whose CDS Hooks requests Alongside answers: its {@code iss}, where its signing keys are published, and the
 * SMART scopes its requests read with (the reader of every card is this EHR system, see docs/ehr-integration.md).
 *
 * <p>Configured as {@code issuer|jwks-uri|scopes} entries of {@code alongside.cds.trusted-issuers}; the scopes part
 * may be left out ({@value #DEFAULT_SCOPES}).
 */
public record TrustedIssuer(String issuer, String jwksUri, String scopes) {

    /** Enough to read what a patient-view card says; the discharge referral's assignment needs write scopes too. */
    public static final String DEFAULT_SCOPES = "system/*.rs";

    /** Reads one configuration entry; a malformed one stops the service from starting with a message naming it. */
    public static TrustedIssuer parse(String entry) {
        List<String> parts = List.of(entry.trim().split("\\|", -1));
        if (parts.size() < 2 || parts.size() > 3 || parts.get(0).isBlank() || !isHttpUrl(parts.get(1).trim())) {
            throw new IllegalArgumentException("alongside.cds.trusted-issuers entry is not issuer|jwks-uri[|scopes]: "
                    + entry);
        }
        String scopes = parts.size() == 3 && !parts.get(2).isBlank() ? parts.get(2).trim() : DEFAULT_SCOPES;
        return new TrustedIssuer(parts.get(0).trim(), parts.get(1).trim(), scopes);
    }

    static boolean isHttpUrl(String value) {
        return value.startsWith("https://") || value.startsWith("http://");
    }
}
