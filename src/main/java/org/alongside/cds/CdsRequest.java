package org.alongside.cds;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/**
 * A CDS Hooks 2.0 request as the EHR posts it: {@code hook}, {@code hookInstance}, {@code context}, and optionally
 * {@code fhirServer}, {@code fhirAuthorization} (not used: Alongside reads its own records, never the EHR's server)
 * and {@code prefetch}. Only what the services use is read; unknown members are ignored, as the spec asks.
 */
public record CdsRequest(String hook, String hookInstance, JsonObject context, JsonObject prefetch) {

    /** A body that is not a CDS Hooks request of the service's hook: the EHR gets 400 with the reason. */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    public static CdsRequest parse(String body, String expectedHook) {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new Invalid("The body is not a JSON object");
        }
        String hook = string(json, "hook").orElseThrow(() -> new Invalid("hook is required"));
        if (!hook.equals(expectedHook)) {
            throw new Invalid("This service answers the " + expectedHook + " hook, not " + hook);
        }
        String instance = string(json, "hookInstance").orElseThrow(() -> new Invalid("hookInstance is required"));
        if (!(json.get("context") instanceof JsonObject context)) {
            throw new Invalid("context is required and must be an object");
        }
        string(context, "patientId").filter(CdsRequest::isId)
                .orElseThrow(() -> new Invalid("context.patientId is required and must be a FHIR id"));
        JsonValue prefetch = json.get("prefetch");
        if (prefetch != null && prefetch.getValueType() != JsonValue.ValueType.NULL
                && !(prefetch instanceof JsonObject)) {
            throw new Invalid("prefetch must be an object");
        }
        return new CdsRequest(hook, instance, context,
                prefetch instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT);
    }

    public String patientId() {
        return context.getString("patientId");
    }

    /** A context member that is a string ({@code userId}, {@code encounterId}). */
    public Optional<String> contextString(String name) {
        return string(context, name);
    }

    /**
     * A prefetch member the EHR filled in; empty when it left the key out or sent null (it could not fetch it), so the
     * service reads Alongside's own records instead.
     */
    public Optional<JsonObject> prefetched(String key) {
        return prefetch.get(key) instanceof JsonObject resource ? Optional.of(resource) : Optional.empty();
    }

    private static Optional<String> string(JsonObject object, String name) {
        return object.get(name) instanceof JsonString s && !s.getString().isBlank() ? Optional.of(s.getString())
                : Optional.empty();
    }

    private static boolean isId(String id) {
        return id.matches("[A-Za-z0-9\\-.]{1,64}");
    }
}
