package org.alongside.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllowedMethodsTest {

    @Test
    void metadataIsReadOnly() {
        assertThat(AllowedMethods.forPath("metadata")).containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(AllowedMethods.allows("metadata", "GET")).isTrue();
        assertThat(AllowedMethods.allows("metadata", "POST")).isFalse();
        assertThat(AllowedMethods.allows("metadata", "PUT")).isFalse();
        assertThat(AllowedMethods.allows("metadata", "DELETE")).isFalse();
    }

    @Test
    void instanceAllowsReadUpdatePatchAndDeleteOnly() {
        assertThat(AllowedMethods.allows("Patient/123", "GET")).isTrue();
        assertThat(AllowedMethods.allows("Patient/123", "PUT")).isTrue();
        assertThat(AllowedMethods.allows("Patient/123", "PATCH")).isTrue();
        assertThat(AllowedMethods.allows("Patient/123", "DELETE")).isTrue();
        assertThat(AllowedMethods.allows("Patient/123", "POST")).isFalse();
        assertThat(AllowedMethods.forPath("Patient/123")).doesNotContain("POST");
    }

    @Test
    void typeAllowsCreateSearchAndTheConditionalWrites() {
        assertThat(AllowedMethods.allows("Patient", "POST")).isTrue();
        assertThat(AllowedMethods.allows("Patient", "GET")).isTrue();
        assertThat(AllowedMethods.allows("Patient", "PATCH")).isTrue();
    }

    @Test
    void versionsHistoryAndMetadataAreNeverPatched() {
        for (String path : new String[] {"Patient/1/_history/2", "Patient/1/_history", "metadata", "Patient/_search"}) {
            assertThat(AllowedMethods.allows(path, "PATCH")).as(path).isFalse();
        }
        assertThat(AllowedMethods.forPath("StructureDefinition/x", java.util.Set.of("StructureDefinition")))
                .doesNotContain("PATCH");
    }

    @Test
    void searchViaPost() {
        assertThat(AllowedMethods.allows("Patient/_search", "POST")).isTrue();
        assertThat(AllowedMethods.allows("Patient/_search", "PUT")).isFalse();
        assertThat(AllowedMethods.allows("Patient/_search", "DELETE")).isFalse();
    }

    @Test
    void historyIsReadOnly() {
        for (String path : new String[] {"Patient/1/_history/2", "Patient/1/_history", "Patient/_history",
                "_history"}) {
            assertThat(AllowedMethods.allows(path, "GET")).as(path).isTrue();
            assertThat(AllowedMethods.allows(path, "PUT")).as(path).isFalse();
            assertThat(AllowedMethods.allows(path, "POST")).as(path).isFalse();
            assertThat(AllowedMethods.allows(path, "DELETE")).as(path).isFalse();
        }
        assertThat(AllowedMethods.forPath("Patient/1/_history/2")).containsExactlyInAnyOrder("GET", "HEAD");
    }

    @Test
    void operationsAllowGetAndPost() {
        for (String path : new String[] {"$meta", "Patient/$validate", "Patient/1/$everything"}) {
            assertThat(AllowedMethods.allows(path, "GET")).as(path).isTrue();
            assertThat(AllowedMethods.allows(path, "POST")).as(path).isTrue();
            assertThat(AllowedMethods.allows(path, "PUT")).as(path).isFalse();
            assertThat(AllowedMethods.allows(path, "DELETE")).as(path).isFalse();
        }
    }

    @Test
    void bulkExportKicksOffByGetOnlyAndItsStatusUrlIsPolledOrCancelled() {
        for (String path : new String[] {"$export", "Patient/$export"}) {
            assertThat(AllowedMethods.forPath(path)).as(path).containsExactly("GET");
        }
        assertThat(AllowedMethods.forPath("$export-poll-status")).containsExactlyInAnyOrder("GET", "DELETE");
        assertThat(AllowedMethods.allows("$export-poll-status", "POST")).isFalse();
        assertThat(AllowedMethods.forPath("$export-file")).containsExactly("GET");
        assertThat(AllowedMethods.allows("$export-file", "DELETE")).isFalse();
    }

    @Test
    void optionsIsAlwaysAllowed() {
        assertThat(AllowedMethods.allows("metadata", "OPTIONS")).isTrue();
        assertThat(AllowedMethods.allows("Patient/1/_history/2", "OPTIONS")).isTrue();
        assertThat(AllowedMethods.allows("", "OPTIONS")).isTrue();
    }

    @Test
    void baseTakesBundlesAndOptionsOnly() {
        assertThat(AllowedMethods.forPath("")).containsExactlyInAnyOrder("POST", "OPTIONS");
        assertThat(AllowedMethods.forPath("/")).containsExactlyInAnyOrder("POST", "OPTIONS");
        assertThat(AllowedMethods.allows("", "GET")).isFalse();
        assertThat(AllowedMethods.allows("", "DELETE")).isFalse();
    }

    @Test
    void surroundingSlashesAreIgnored() {
        assertThat(AllowedMethods.forPath("/Patient/123/")).isEqualTo(AllowedMethods.forPath("Patient/123"));
        assertThat(AllowedMethods.allows("/Patient/123/", "PUT")).isTrue();
        assertThat(AllowedMethods.allows("/metadata", "POST")).isFalse();
    }

    @Test
    void unknownShapesAreLeftToHapi() {
        assertThat(AllowedMethods.forPath("Patient/1/foo")).isEmpty();
        assertThat(AllowedMethods.forPath("Patient/1/_history/2/extra")).isEmpty();
    }
}
