package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Type and system history with _since and _count paging: every version appears once, newest first. */
class HistoryIT {

    private final IGenericClient client = FhirServer.client();

    private Goal goal(String text) {
        Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                .setSubject(new Reference("Patient/history-test"));
        goal.getDescription().setText(text);
        return goal;
    }

    /** Writes 3 goals with 2, 1 and 3 versions (one deleted): 6 versions in all, after {@code since}. */
    private Set<String> writeVersions() {
        Set<String> versions = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            IdType id = (IdType) client.create().resource(goal("goal " + i)).execute().getId();
            versions.add(id.toUnqualified().getValue());
            if (i != 1) {
                Goal update = goal("goal " + i + " revised");
                update.setId(id.toUnqualifiedVersionless());
                versions.add(client.update().resource(update).execute().getId().toUnqualified().getValue());
            }
            if (i == 2) {
                versions.add(id.toUnqualifiedVersionless().getValue() + "/_history/3");
                client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
            }
        }
        return versions;
    }

    private static List<String> versionsOf(Bundle bundle) {
        List<String> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            String etag = entry.getResponse().getEtag().replaceAll("[^0-9]", "");
            out.add(new IdType(entry.getFullUrl()).toUnqualifiedVersionless().getValue() + "/_history/" + etag);
        }
        return out;
    }

    @Test
    void typeHistorySincePagesThroughEveryVersionOnce() throws Exception {
        Date since = new Date(System.currentTimeMillis() - 1000);
        Thread.sleep(1100);
        Set<String> written = writeVersions();

        Bundle page = client.history().onType(Goal.class).returnBundle(Bundle.class)
                .since(new InstantType(new Date(since.getTime() + 1000))).count(2).execute();
        List<String> seen = new ArrayList<>();
        Date previousUpdated = null;
        while (true) {
            assertThat(page.getType()).isEqualTo(Bundle.BundleType.HISTORY);
            assertThat(page.getEntry().size()).isLessThanOrEqualTo(2);
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                Date updated = entry.getResponse().getLastModified();
                if (previousUpdated != null) {
                    assertThat(updated).isBeforeOrEqualTo(previousUpdated);
                }
                previousUpdated = updated;
            }
            seen.addAll(versionsOf(page));
            if (page.getLink("next") == null) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(written);
    }

    @Test
    void systemHistoryIncludesDeletesAsEntriesWithoutResource() {
        Date since = new Date();
        Set<String> written = writeVersions();
        Bundle history = client.history().onServer().returnBundle(Bundle.class).since(since).count(100).execute();

        List<String> seen = versionsOf(history);
        assertThat(seen).containsAll(written);
        Bundle.BundleEntryComponent deletion = history.getEntry().stream()
                .filter(e -> e.getRequest().getMethod() == Bundle.HTTPVerb.DELETE).findFirst().orElseThrow();
        assertThat(deletion.hasResource()).isFalse();
        assertThat(deletion.getRequest().getUrl()).startsWith("Goal/");
    }

    @Test
    void historyRefusesUnsupportedParameters() {
        assertThat(FhirServer.get("/Goal/_history?_at=2020").statusCode()).isEqualTo(400);
        assertThat(FhirServer.get("/_history?_since=yesterday").statusCode()).isEqualTo(400);
    }
}
