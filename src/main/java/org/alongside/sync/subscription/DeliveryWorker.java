package org.alongside.sync.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alongside.config.AlongsideConfig;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.security.Caller;
import org.alongside.security.RequestAccess;
import org.alongside.store.ResourceStore;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * Delivers the outbox. Every poll claims due Subscriptions (skipping those another instance holds), then sends each
 * one's events in event-number order: event n+1 only after event n was accepted. A failure stops that Subscription
 * until its backoff has passed and marks it {@code error}; the next success marks it {@code active} again. Logs
 * name Subscriptions, event numbers and HTTP statuses only, never resource content or header values.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    AlongsideConfig config;

    @Inject
    FhirContext fhirContext;

    @Inject
    Outbox outbox;

    @Inject
    ResourceStore store;

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SubscriptionSpecs specs;

    @Inject
    SubscriptionStatusWriter statusWriter;

    @Inject
    Backoff backoff;

    @Inject
    TopicNotifications notifications;

    private String instance;
    private Duration lease;
    private RestHookClient client;
    private ScheduledFuture<?> polling;
    /** Set at shutdown: a running poll stops before its next Subscription or event, so the server stops in seconds. */
    private volatile boolean stopping;
    private boolean reportedClaimFailure;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        instance = config.subscriptionInstanceId().orElse("alongside-" + UUID.randomUUID().toString().substring(0, 8));
        Duration timeout = Duration.ofMillis(config.subscriptionRequestTimeoutMs());
        // a claim must outlive the longest request it covers, or another instance could send the same event
        lease = Duration.ofSeconds(Math.max(config.subscriptionLeaseSeconds(), timeout.multipliedBy(3).toSeconds()));
        client = new RestHookClient(fhirContext, Duration.ofMillis(config.subscriptionConnectTimeoutMs()), timeout,
                instance);
        if (!config.subscriptionDeliveryEnabled()) {
            LOG.info("Subscription delivery is disabled on this instance (alongside.subscription.delivery-enabled)");
            return;
        }
        long interval = config.subscriptionPollIntervalMs();
        polling = scheduler.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("Subscription delivery started as instance " + instance + ", polling every " + interval + " ms");
    }

    /**
     * Stops at once: the schedule is cancelled and a running poll interrupted (an HTTP request in flight ends; a
     * database call ends within the data source's socket timeout). Claims left behind lapse with their lease, and
     * undelivered events stay in the outbox for the next start.
     */
    @PreDestroy
    void stop() {
        stopping = true;
        if (polling != null) {
            polling.cancel(true);
        }
    }

    /** One round: claim, deliver, release. Never throws (a thrown exception would end the schedule). */
    void poll() {
        List<String> claimed;
        try {
            claimed = outbox.claim(instance, config.subscriptionClaimSize(), lease);
        } catch (RuntimeException e) {
            // e.g. the database is unreachable: once until a claim succeeds again, not at every poll
            if (!reportedClaimFailure) {
                LOG.log(Level.WARNING, "Claiming Subscriptions to deliver failed: " + e.getClass().getName(), e);
                reportedClaimFailure = true;
            }
            return;
        }
        reportedClaimFailure = false;
        for (String subscriptionId : claimed) {
            if (stopping) {
                return; // the claims lapse with their lease
            }
            try {
                deliver(subscriptionId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Delivering Subscription " + subscriptionId + " failed: "
                        + e.getClass().getName(), e);
            } finally {
                try {
                    outbox.release(subscriptionId, instance);
                } catch (RuntimeException e) {
                    LOG.warning("Releasing Subscription " + subscriptionId + " failed (the claim expires by itself): "
                            + e.getClass().getName());
                }
            }
        }
    }

    private void deliver(String subscriptionId) {
        Subscription subscription;
        try {
            subscription = (Subscription) store.read(SubscriptionSpecs.SUBSCRIPTION, subscriptionId);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return; // deleted meanwhile: its events were dropped with it
        }
        SubscriptionStatus status = subscription.getStatus();
        if (status != SubscriptionStatus.ACTIVE && status != SubscriptionStatus.ERROR
                && status != SubscriptionStatus.REQUESTED) { // requested: a topic Subscription's handshake
            return;
        }
        boolean inError = status == SubscriptionStatus.ERROR;
        List<PendingEvent> events = outbox.pending(subscriptionId, config.subscriptionBatchSize());
        SubscriptionSpec spec;
        try {
            spec = specs.parseReachable(subscription);
        } catch (BaseServerResponseException e) {
            // valid when stored, not under today's configuration or resolution (its host is no longer allowed,
            // or its name now resolves to an internal address)
            if (!events.isEmpty()) {
                outbox.failed(events.get(0), instance, backoff::delay);
            } else {
                outbox.failedWithoutEvent(subscriptionId, instance, backoff::delay);
            }
            if (!inError) {
                statusWriter.error(subscriptionId, "Delivery stopped: " + e.getMessage());
            }
            return;
        }
        if (spec.topicBased()) {
            deliverTopic(spec, status, events);
            return;
        }
        if (status == SubscriptionStatus.REQUESTED) {
            return;
        }
        Optional<Caller> owner = SubscriptionOwner.decode(outbox.topicState(subscriptionId).owner());
        for (PendingEvent event : events) {
            if (stopping) {
                return;
            }
            if (!outbox.renew(subscriptionId, instance, lease)) {
                LOG.warning("Lost the claim on Subscription " + subscriptionId + " before event " + event.eventNumber());
                return;
            }
            RestHookClient.Outcome outcome = attempt(spec, event, owner);
            if (!outcome.delivered()) {
                int failures = outbox.failed(event, instance, backoff::delay);
                if (Integer.bitCount(failures) == 1) { // 1, 2, 4, 8...: a dead endpoint does not flood the log
                    LOG.warning("Subscription " + subscriptionId + ": event " + event.eventNumber() + " not delivered ("
                            + outcome.problem() + "), consecutive failures " + failures);
                }
                if (!inError) {
                    statusWriter.error(subscriptionId, "Delivery of event " + event.eventNumber() + " failed at "
                            + Instant.now() + ": " + outcome.problem() + ". Retrying with backoff; events are kept"
                            + " and delivered in order once the endpoint accepts them.");
                }
                return;
            }
            outbox.delivered(event);
            if (inError) {
                statusWriter.active(subscriptionId);
                inError = false;
            }
        }
    }

    /**
     * A topic Subscription: first the handshake when one is due (accepted: the Subscription becomes active), then its
     * events one notification each, in order, read as its owner; with nothing to send, a heartbeat when one is due.
     * A failure of any of them waits for the backoff and marks the Subscription error, as for plain ones.
     */
    private void deliverTopic(SubscriptionSpec spec, SubscriptionStatus status, List<PendingEvent> events) {
        String id = spec.id();
        TopicState state = outbox.topicState(id);
        Optional<Caller> owner = SubscriptionOwner.decode(state.owner());
        boolean inError = status == SubscriptionStatus.ERROR;
        if (state.handshakePending()) {
            if (!outbox.renew(id, instance, lease)) {
                return;
            }
            Bundle handshake = NotificationBundles.notification(context(spec, status, state.eventsSinceStart()),
                    NotificationBundles.Type.HANDSHAKE, List.of());
            if (!sent(spec, client.sendNotification(spec, handshake, null), "the handshake", inError)) {
                return;
            }
            outbox.handshakeDone(id);
            statusWriter.active(id);
            return; // events are recorded from now on; the next poll delivers them
        }
        if (status == SubscriptionStatus.REQUESTED) {
            return;
        }
        for (PendingEvent event : events) {
            if (stopping || !outbox.renew(id, instance, lease)) {
                return;
            }
            List<NotificationBundles.Event> payload = owner.isEmpty()
                    ? notifications.events(List.of(event), TopicSubscription.Content.EMPTY)
                    : RequestAccess.asCaller(owner.get(), () -> notifications.events(List.of(event),
                    spec.topic().content()));
            Bundle notification = NotificationBundles.notification(context(spec, SubscriptionStatus.ACTIVE,
                    event.eventNumber()), NotificationBundles.Type.EVENT_NOTIFICATION, payload);
            RestHookClient.Outcome outcome = client.sendNotification(spec, notification, event.eventNumber());
            if (!outcome.delivered()) {
                int failures = outbox.failed(event, instance, backoff::delay);
                if (Integer.bitCount(failures) == 1) {
                    LOG.warning("Subscription " + id + ": event " + event.eventNumber() + " not delivered ("
                            + outcome.problem() + "), consecutive failures " + failures);
                }
                if (!inError) {
                    statusWriter.error(id, "Delivery of event " + event.eventNumber() + " failed at " + Instant.now()
                            + ": " + outcome.problem() + ". Retrying with backoff; events are kept and delivered in"
                            + " order once the endpoint accepts them.");
                }
                return;
            }
            outbox.delivered(event);
            if (inError) {
                statusWriter.active(id);
                inError = false;
            }
        }
        Instant now = Instant.now();
        if (events.isEmpty() && state.heartbeatDue() != null && !state.heartbeatDue().isAfter(now)
                && outbox.renew(id, instance, lease)) {
            Bundle heartbeat = NotificationBundles.notification(context(spec, status, state.eventsSinceStart()),
                    NotificationBundles.Type.HEARTBEAT, List.of());
            if (sent(spec, client.sendNotification(spec, heartbeat, null), "a heartbeat", inError)) {
                outbox.heartbeatSent(id);
                if (inError) {
                    statusWriter.active(id);
                }
            }
        }
        outbox.forgetDelivered(id, now.minus(config.subscriptionEventRetention()));
    }

    /** Records a failed handshake or heartbeat like a failed event (backoff, status error); true when it arrived. */
    private boolean sent(SubscriptionSpec spec, RestHookClient.Outcome outcome, String what, boolean inError) {
        if (outcome.delivered()) {
            return true;
        }
        int failures = outbox.failedWithoutEvent(spec.id(), instance, backoff::delay);
        if (Integer.bitCount(failures) == 1) {
            LOG.warning("Subscription " + spec.id() + ": " + what + " not delivered (" + outcome.problem()
                    + "), consecutive failures " + failures);
        }
        if (!inError) {
            statusWriter.error(spec.id(), "Delivery of " + what + " failed at " + Instant.now() + ": "
                    + outcome.problem() + ". Retrying with backoff.");
        }
        return false;
    }

    private NotificationBundles.Context context(SubscriptionSpec spec, SubscriptionStatus status, long eventsSinceStart) {
        return new NotificationBundles.Context(config.subscriptionFhirBaseUrl(), spec.id(), spec.topic().topic().url(),
                status.toCode(), eventsSinceStart);
    }

    /**
     * A plain rest-hook delivery. The version is read through the pipeline as the Subscription's owner (whoever wrote
     * it), so their reach, scopes and Part 2 consent decide what the notification carries: the resource (with a
     * payload) and its id, or, for a version they may not read, or a Subscription without a recorded owner, a ping
     * that names nothing (the subscriber reads with its own token). Any other failure to read is a failed attempt,
     * retried with backoff.
     */
    private RestHookClient.Outcome attempt(SubscriptionSpec spec, PendingEvent event, Optional<Caller> owner) {
        if (owner.isEmpty()) {
            return client.sendWithheld(spec, event);
        }
        IBaseResource resource;
        try {
            resource = RequestAccess.asCaller(owner.get(), () -> pipeline.vread(event.type(), event.id(), event.version()));
        } catch (ForbiddenOperationException | ResourceNotFoundException | ResourceGoneException e) {
            return client.sendWithheld(spec, event);
        } catch (BaseServerResponseException e) {
            return new RestHookClient.Outcome(false, "version " + event.version() + " could not be read ("
                    + e.getStatusCode() + ")");
        }
        return client.send(spec, event, spec.fullPayload() ? resource : null);
    }
}
