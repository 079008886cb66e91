package org.alongside.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMART resource scopes a token grants, v2 ({@code patient/Communication.rs}) and v1
 * ({@code user/*.read}). Scopes with a query part ({@code ?category=...}) are fine-grained grants Alongside
 * does not evaluate; they grant nothing, so a token is never given more than it says. Non-resource scopes
 * ({@code openid}, {@code launch/patient}...) are ignored here. Pure: no I/O.
 */
public final class ScopeSet {

    /** Whose data a scope reaches: the launch patient's, what the user may see, or the whole system. */
    public enum Context { PATIENT, USER, SYSTEM }

    private record Grant(Context context, String type, Set<Interaction> interactions) {
    }

    private static final Pattern RESOURCE_SCOPE =
            Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(read|write|\\*|c?r?u?d?s?)");

    private final List<Grant> grants;
    /** The claim as given (kept so that a caller can be noted and restored, e.g. a Subscription's owner). */
    private final String claim;

    private ScopeSet(List<Grant> grants, String claim) {
        this.grants = List.copyOf(grants);
        this.claim = claim == null ? "" : claim.trim();
    }

    /** The scope claim this set was parsed from. */
    public String claim() {
        return claim;
    }

    public static ScopeSet parse(String scopeClaim) {
        List<Grant> grants = new ArrayList<>();
        if (scopeClaim != null) {
            for (String scope : scopeClaim.trim().split("\\s+")) {
                Matcher m = RESOURCE_SCOPE.matcher(scope);
                if (!m.matches() || m.group(3).isEmpty()) {
                    continue;
                }
                grants.add(new Grant(Context.valueOf(m.group(1).toUpperCase(Locale.ROOT)), m.group(2),
                        interactions(m.group(3))));
            }
        }
        return new ScopeSet(grants, scopeClaim);
    }

    private static Set<Interaction> interactions(String permissions) {
        switch (permissions) {
            case "read":
                return EnumSet.of(Interaction.READ, Interaction.SEARCH);
            case "write":
                return EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
            case "*":
                return EnumSet.allOf(Interaction.class);
            default:
                Set<Interaction> result = EnumSet.noneOf(Interaction.class);
                for (Interaction interaction : Interaction.values()) {
                    if (permissions.indexOf(interaction.letter()) >= 0) {
                        result.add(interaction);
                    }
                }
                return result;
        }
    }

    /** Does any scope in the given context allow this interaction on this resource type? */
    public boolean permits(Context context, String resourceType, Interaction interaction) {
        for (Grant grant : grants) {
            if (grant.context() == context && (grant.type().equals("*") || grant.type().equals(resourceType))
                    && grant.interactions().contains(interaction)) {
                return true;
            }
        }
        return false;
    }

    /** The widest context that allows the interaction, if any: system before user before patient. */
    public java.util.Optional<Context> widestPermitting(String resourceType, Interaction interaction) {
        for (Context context : new Context[] {Context.SYSTEM, Context.USER, Context.PATIENT}) {
            if (permits(context, resourceType, interaction)) {
                return java.util.Optional.of(context);
            }
        }
        return java.util.Optional.empty();
    }

    public boolean isEmpty() {
        return grants.isEmpty();
    }
}
