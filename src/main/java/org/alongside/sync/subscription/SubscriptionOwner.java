package org.alongside.sync.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.alongside.security.Caller;
import org.alongside.security.Role;
import org.alongside.security.ScopeSet;

/**
 * Who wrote a Subscription, kept with its delivery state so that notifications are read with that caller's access
 * (roles, scopes, launch patient, client, purpose of use), as their own search would be. The caller's verified
 * claims only, never a token. Pure.
 */
public final class SubscriptionOwner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SubscriptionOwner() {
    }

    public static String encode(Caller caller) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sub", caller.subject());
        ArrayNode roles = node.putArray("roles");
        caller.roles().forEach(role -> roles.add(role.claimValue()));
        node.put("scope", caller.scopes().claim());
        caller.fhirUser().ifPresent(user -> node.put("fhirUser", user));
        caller.launchPatient().ifPresent(patient -> node.put("patient", patient));
        if (caller.clientId() != null) {
            node.put("client", caller.clientId());
        }
        if (caller.purposeOfUse() != null) {
            node.put("pou", caller.purposeOfUse());
        }
        return node.toString();
    }

    /** The caller noted by {@link #encode}; empty when there is none or it cannot be read. */
    public static Optional<Caller> decode(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(encoded);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            node.path("roles").forEach(role -> Role.fromClaim(role.asText()).ifPresent(roles::add));
            return Optional.of(new Caller(node.path("sub").asText(null), roles,
                    ScopeSet.parse(node.path("scope").asText("")), Optional.ofNullable(node.path("fhirUser").asText(null)),
                    Optional.ofNullable(node.path("patient").asText(null)), node.path("client").asText(null),
                    node.path("pou").asText(null)));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
