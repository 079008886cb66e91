package org.alongside.security;

import java.util.Optional;

/** The roles a caller's token can carry (its {@code groups} claim). */
public enum Role {
    PEER_SPECIALIST("peer-specialist"),
    SUPERVISOR("supervisor"),
    CLINICIAN("clinician"),
    EHR_SYSTEM("ehr-system"),
    ADMIN("admin"),
    /** Runs the program report: aggregate figures only, never a record about a person. */
    PROGRAM_DIRECTOR("program-director");

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    public String claimValue() {
        return claimValue;
    }

    public static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.claimValue.equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
