package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.alongside.security.ScopeSet.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeSetTest {

    @ParameterizedTest(name = "{0} on {1}.{2} → {3}")
    @CsvSource({
            // v2 letters
            "patient/Communication.rs, Communication, READ, true",
            "patient/Communication.rs, Communication, SEARCH, true",
            "patient/Communication.rs, Communication, CREATE, false",
            "patient/Communication.rs, Encounter, READ, false",
            "user/*.cruds, Encounter, DELETE, true",
            "user/*.cu, Encounter, READ, false",
            "user/*.cu, Encounter, UPDATE, true",
            // v1
            "user/*.read, CarePlan, SEARCH, true",
            "user/*.read, CarePlan, UPDATE, false",
            "user/Goal.write, Goal, DELETE, true",
            "user/Goal.write, Goal, READ, false",
            "user/*.*, Task, DELETE, true",
            // out of order or unknown letters grant nothing
            "user/*.sr, Task, READ, false",
            "user/*.x, Task, READ, false",
            // a query-restricted (fine-grained) scope is not evaluated, so it grants nothing
            "user/Observation.rs?category=laboratory, Observation, READ, false",
            // non-resource scopes
            "openid fhirUser launch/patient, Patient, READ, false",
    })
    void grants(String scopes, String type, Interaction interaction, boolean expected) {
        ScopeSet set = ScopeSet.parse(scopes);
        boolean any = set.permits(Context.PATIENT, type, interaction) || set.permits(Context.USER, type, interaction)
                || set.permits(Context.SYSTEM, type, interaction);
        assertThat(any).isEqualTo(expected);
    }

    @Test
    void contextsAreKeptApart() {
        ScopeSet set = ScopeSet.parse("patient/Encounter.rs user/Goal.cruds");
        assertThat(set.permits(Context.PATIENT, "Encounter", Interaction.READ)).isTrue();
        assertThat(set.permits(Context.USER, "Encounter", Interaction.READ)).isFalse();
        assertThat(set.permits(Context.SYSTEM, "Goal", Interaction.READ)).isFalse();
    }

    @Test
    void widestContextWins() {
        ScopeSet set = ScopeSet.parse("patient/*.rs user/Encounter.rs system/Patient.rs");
        assertThat(set.widestPermitting("Patient", Interaction.READ)).contains(Context.SYSTEM);
        assertThat(set.widestPermitting("Encounter", Interaction.SEARCH)).contains(Context.USER);
        assertThat(set.widestPermitting("Goal", Interaction.READ)).contains(Context.PATIENT);
        assertThat(set.widestPermitting("Goal", Interaction.CREATE)).isEmpty();
    }

    @Test
    void emptyOrMissingClaimGrantsNothing() {
        assertThat(ScopeSet.parse(null).isEmpty()).isTrue();
        assertThat(ScopeSet.parse("  ").isEmpty()).isTrue();
    }
}
