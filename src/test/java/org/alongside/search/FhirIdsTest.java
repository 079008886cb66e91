package org.alongside.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FhirIdsTest {

    @Test
    void logicalIdsAreOneTo64OfTheAllowedCharacters() {
        assertThat(FhirIds.isLogicalId("a-B.9")).isTrue();
        assertThat(FhirIds.isLogicalId("x".repeat(64))).isTrue();
        assertThat(FhirIds.isLogicalId("x".repeat(65))).isFalse();
        assertThat(FhirIds.isLogicalId("")).isFalse();
        assertThat(FhirIds.isLogicalId(null)).isFalse();
        assertThat(FhirIds.isLogicalId("a_b")).isFalse();
        assertThat(FhirIds.isLogicalId("urn:uuid:1")).isFalse();
    }

    @Test
    void referencesLoseTheirVersionAndType() {
        assertThat(FhirIds.withoutVersion("Patient/p1/_history/3")).isEqualTo("Patient/p1");
        assertThat(FhirIds.withoutVersion("Patient/p1")).isEqualTo("Patient/p1");
        assertThat(FhirIds.idPart("Patient/p1")).isEqualTo("p1");
        assertThat(FhirIds.idPart("p1")).isEqualTo("p1");
    }

    @Test
    void versionETagsWeakOrStrong() {
        assertThat(FhirIds.versionOfETag("W/\"3\"")).isEqualTo(OptionalLong.of(3));
        assertThat(FhirIds.versionOfETag(" \"12\" ")).isEqualTo(OptionalLong.of(12));
        assertThat(FhirIds.versionOfETag("W/\"abc\"")).isEmpty();
        assertThat(FhirIds.versionOfETag("*")).isEmpty();
    }
}
