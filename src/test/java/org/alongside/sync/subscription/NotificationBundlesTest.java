package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class NotificationBundlesTest {

    private static final NotificationBundles.Context CONTEXT = new NotificationBundles.Context(
            "https://alongside.example/fhir", "sub-1", "http://alongside.health/fhir/SubscriptionTopic/peer-session-recorded",
            "active", 7);
    private static final Instant WHEN = Instant.parse("2026-11-30T10:15:30Z");

    private static Parameters status(Bundle bundle) {
        return (Parameters) bundle.getEntryFirstRep().getResource();
    }

    private static org.hl7.fhir.r4.model.Type param(Parameters parameters, String name) {
        return parameters.getParameter().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow()
                .getValue();
    }

    private static String value(Parameters parameters, String name) {
        return param(parameters, name).primitiveValue();
    }

    @Test
    void aHandshakeIsAHistoryBundleWhoseOnlyEntryIsTheStatus() {
        Bundle bundle = NotificationBundles.notification(new NotificationBundles.Context(CONTEXT.fhirBase(), "sub-1",
                CONTEXT.topicUrl(), "requested", 0), NotificationBundles.Type.HANDSHAKE, List.of());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(bundle.getEntry()).hasSize(1);
        Parameters status = status(bundle);
        assertThat(status.getMeta().hasProfile(NotificationBundles.STATUS_PROFILE)).isTrue();
        assertThat(((Reference) param(status, "subscription")).getReference()).isEqualTo("Subscription/sub-1");
        assertThat(value(status, "topic")).isEqualTo(CONTEXT.topicUrl());
        assertThat(value(status, "status")).isEqualTo("requested");
        assertThat(value(status, "type")).isEqualTo("handshake");
        assertThat(value(status, "events-since-subscription-start")).isEqualTo("0");
        assertThat(status.getParameter().stream().noneMatch(p -> p.getName().equals("notification-event"))).isTrue();
        assertThat(bundle.getEntryFirstRep().getRequest().getUrl()).isEqualTo("Subscription/sub-1/$status");
        assertThat(bundle.getEntryFirstRep().getResponse().getStatus()).isEqualTo("200");
        assertThat(bundle.getEntryFirstRep().getFullUrl()).startsWith("urn:uuid:");
    }

    @Test
    void anIdOnlyEventNamesItsFocusAndNumberButCarriesNoResource() {
        Bundle bundle = NotificationBundles.notification(CONTEXT, NotificationBundles.Type.EVENT_NOTIFICATION,
                List.of(new NotificationBundles.Event(7, WHEN, "Encounter/e1", null, 1)));
        assertThat(bundle.getEntry()).hasSize(1);
        Parameters.ParametersParameterComponent event = status(bundle).getParameter().stream()
                .filter(p -> p.getName().equals("notification-event")).findFirst().orElseThrow();
        assertThat(event.getPart()).extracting(Parameters.ParametersParameterComponent::getName)
                .containsExactly("event-number", "timestamp", "focus");
        assertThat(event.getPart().get(0).getValue().primitiveValue()).isEqualTo("7");
        assertThat(((Reference) event.getPart().get(2).getValue()).getReference()).isEqualTo("Encounter/e1");
        assertThat(value(status(bundle), "type")).isEqualTo("event-notification");
    }

    @Test
    void aFullResourceEventAddsTheVersionWithItsFullUrlAndRequest() {
        Encounter created = new Encounter();
        created.setId("e1");
        Encounter updated = new Encounter();
        updated.setId("e2");
        Bundle bundle = NotificationBundles.notification(CONTEXT, NotificationBundles.Type.EVENT_NOTIFICATION, List.of(
                new NotificationBundles.Event(6, WHEN, "Encounter/e1", created, 1),
                new NotificationBundles.Event(7, WHEN, "Encounter/e2", updated, 3)));
        assertThat(bundle.getEntry()).hasSize(3);
        Bundle.BundleEntryComponent first = bundle.getEntry().get(1);
        assertThat(first.getFullUrl()).isEqualTo("https://alongside.example/fhir/Encounter/e1");
        assertThat(first.getResource()).isSameAs(created);
        assertThat(first.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(first.getRequest().getUrl()).isEqualTo("Encounter");
        assertThat(first.getResponse().getStatus()).isEqualTo("201");
        Bundle.BundleEntryComponent second = bundle.getEntry().get(2);
        assertThat(second.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(second.getRequest().getUrl()).isEqualTo("Encounter/e2");
        assertThat(second.getResponse().getStatus()).isEqualTo("200");
    }

    @Test
    void aWithheldOrEmptyEventKeepsItsNumberWithoutFocusOrEntry() {
        Bundle bundle = NotificationBundles.notification(CONTEXT, NotificationBundles.Type.EVENT_NOTIFICATION,
                List.of(new NotificationBundles.Event(7, WHEN, null, null, 1)));
        assertThat(bundle.getEntry()).hasSize(1);
        Parameters.ParametersParameterComponent event = status(bundle).getParameter().stream()
                .filter(p -> p.getName().equals("notification-event")).findFirst().orElseThrow();
        assertThat(event.getPart()).extracting(Parameters.ParametersParameterComponent::getName)
                .containsExactly("event-number", "timestamp");
    }

    @Test
    void statusIsASearchsetOfOneQueryStatus() {
        Bundle bundle = NotificationBundles.statusSearchset(CONTEXT);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(bundle.getTotal()).isEqualTo(1);
        assertThat(value(status(bundle), "type")).isEqualTo("query-status");
        assertThat(value(status(bundle), "events-since-subscription-start")).isEqualTo("7");
    }
}
