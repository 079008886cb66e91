package org.alongside.sync.subscription;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Sends one R4 rest-hook notification. Without a payload: {@code POST [endpoint]} with no body. With one: the
 * resource version, {@code PUT [endpoint]/[type]/[id]} (R4: "the URL is interpreted as the service base"). Every
 * request carries the Subscription's headers and Alongside's event headers. Redirects are not followed.
 */
public final class RestHookClient {

    public static final String EVENT_NUMBER = "X-Alongside-Event-Number";
    public static final String SUBSCRIPTION = "X-Alongside-Subscription";
    public static final String RESOURCE = "X-Alongside-Resource";
    public static final String INSTANCE = "X-Alongside-Instance";

    /** What came of one attempt; {@code problem} is fit for Subscription.error (no content, no header values). */
    public record Outcome(boolean delivered, String problem) {
    }

    private final HttpClient http;
    private final FhirContext fhirContext;
    private final Duration requestTimeout;
    private final String instance;

    public RestHookClient(FhirContext fhirContext, Duration connectTimeout, Duration requestTimeout, String instance) {
        this.fhirContext = fhirContext;
        this.requestTimeout = requestTimeout;
        this.instance = instance;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Outcome send(SubscriptionSpec subscription, PendingEvent event, IBaseResource resource) {
        return send(request(subscription, event, resource));
    }

    /**
     * An event the Subscription's owner may not read: a ping ({@code POST [endpoint]}, no body) that keeps its event
     * number, so the order and the count hold, and names no record.
     */
    public Outcome sendWithheld(SubscriptionSpec subscription, PendingEvent event) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(subscription.endpoint())
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(requestTimeout);
        for (ChannelHeaders.Header header : subscription.headers()) {
            builder.header(header.name(), header.value());
        }
        return send(builder.header(EVENT_NUMBER, Long.toString(event.eventNumber()))
                .header(SUBSCRIPTION, "Subscription/" + subscription.id()).header(INSTANCE, instance).build());
    }

    /**
     * Sends a topic notification Bundle: {@code POST [endpoint]} with the Bundle in the Subscription's payload type,
     * with its headers and Alongside's ({@code X-Alongside-Event-Number} only when it carries an event).
     */
    public Outcome sendNotification(SubscriptionSpec subscription, org.hl7.fhir.r4.model.Bundle bundle, Long eventNumber) {
        return send(notificationRequest(subscription, bundle, eventNumber));
    }

    HttpRequest notificationRequest(SubscriptionSpec subscription, org.hl7.fhir.r4.model.Bundle bundle,
                                    Long eventNumber) {
        boolean xml = subscription.payload().endsWith("xml");
        String body = (xml ? fhirContext.newXmlParser() : fhirContext.newJsonParser()).encodeResourceToString(bundle);
        HttpRequest.Builder builder = HttpRequest.newBuilder(subscription.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", subscription.payload() + "; charset=UTF-8")
                .timeout(requestTimeout);
        for (ChannelHeaders.Header header : subscription.headers()) {
            builder.header(header.name(), header.value());
        }
        if (eventNumber != null) {
            builder.header(EVENT_NUMBER, Long.toString(eventNumber));
        }
        return builder.header(SUBSCRIPTION, "Subscription/" + subscription.id()).header(INSTANCE, instance).build();
    }

    private Outcome send(HttpRequest request) {
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Outcome(true, null)
                    : new Outcome(false, "the endpoint answered HTTP " + status);
        } catch (IOException e) {
            return new Outcome(false, "the endpoint could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "delivery was interrupted (server stopping)");
        }
    }

    HttpRequest request(SubscriptionSpec subscription, PendingEvent event, IBaseResource resource) {
        String base = subscription.endpoint().toString();
        HttpRequest.Builder builder;
        if (subscription.fullPayload() && resource != null) {
            boolean xml = subscription.payload().endsWith("xml");
            String body = (xml ? fhirContext.newXmlParser() : fhirContext.newJsonParser()).encodeResourceToString(resource);
            URI target = URI.create(base.replaceAll("/+$", "") + "/" + event.type() + "/" + event.id());
            builder = HttpRequest.newBuilder(target).PUT(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", subscription.payload() + "; charset=UTF-8");
        } else {
            builder = HttpRequest.newBuilder(subscription.endpoint()).POST(HttpRequest.BodyPublishers.noBody());
        }
        builder.timeout(requestTimeout);
        for (ChannelHeaders.Header header : subscription.headers()) {
            builder.header(header.name(), header.value());
        }
        return builder.header(EVENT_NUMBER, Long.toString(event.eventNumber()))
                .header(SUBSCRIPTION, "Subscription/" + subscription.id())
                .header(RESOURCE, event.type() + "/" + event.id() + "/_history/" + event.version())
                .header(INSTANCE, instance)
                .build();
    }
}
