package org.alongside.patch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * JSON Patch (RFC 6902, {@code application/json-patch+json}) applied to a resource's JSON form. The operations
 * themselves are Jakarta JSON Processing's (the runtime's own implementation); this class checks the document's shape
 * up front, so that a malformed patch is a 400 and only a patch that does not fit the record is a 422, and reads the
 * result back with the strict parser, so that the patch cannot produce what a client could not have sent.
 */
public final class JsonPatch implements ResourcePatch {

    /** The members each operation needs besides {@code op} and {@code path}. */
    private static final Map<String, Set<String>> NEEDS = Map.of("add", Set.of("value"), "remove", Set.of(),
            "replace", Set.of("value"), "move", Set.of("from"), "copy", Set.of("from"), "test", Set.of("value"));

    private final FhirContext context;
    private final JsonArray operations;

    private JsonPatch(FhirContext context, JsonArray operations) {
        this.context = context;
        this.operations = operations;
    }

    /** Reads a JSON Patch document; 400 when it is not an array of well-formed operations. */
    public static JsonPatch parse(FhirContext context, String body) {
        JsonValue document;
        try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            document = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidRequestException("The JSON Patch document is not valid JSON");
        }
        if (document.getValueType() != JsonValue.ValueType.ARRAY || document.asJsonArray().isEmpty()) {
            throw new InvalidRequestException("A JSON Patch document is a non-empty JSON array of operations");
        }
        JsonArray operations = document.asJsonArray();
        for (int i = 0; i < operations.size(); i++) {
            requireWellFormed(i, operations.get(i));
        }
        return new JsonPatch(context, operations);
    }

    private static void requireWellFormed(int index, JsonValue value) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException("JSON Patch operation " + index + " is not an object");
        }
        JsonObject operation = value.asJsonObject();
        String op = operation.get("op") instanceof JsonString s ? s.getString() : null;
        if (op == null || !NEEDS.containsKey(op)) {
            throw new InvalidRequestException("JSON Patch operation " + index
                    + ": op must be one of add, remove, replace, move, copy, test");
        }
        if (!isPointer(operation.get("path"))) {
            throw new InvalidRequestException("JSON Patch operation " + index + " (" + op
                    + ") needs a path that is a JSON Pointer");
        }
        for (String member : NEEDS.get(op)) {
            if (!operation.containsKey(member) || (member.equals("from") && !isPointer(operation.get(member)))) {
                throw new InvalidRequestException("JSON Patch operation " + index + " (" + op + ") needs " + member);
            }
        }
    }

    private static boolean isPointer(JsonValue value) {
        return value instanceof JsonString s && (s.getString().isEmpty() || s.getString().startsWith("/"));
    }

    @Override
    public IBaseResource applyTo(IBaseResource current) {
        JsonStructure json;
        try (var reader = Json.createReader(new StringReader(context.newJsonParser().encodeResourceToString(current)))) {
            json = reader.read();
        }
        JsonValue patched;
        try {
            patched = Json.createPatch(operations).apply(json);
        } catch (JsonException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            // what JSON-P says is about the patch and the record's structure (a missing path, a failed test), never data
            throw new UnprocessableEntityException("The JSON Patch cannot be applied to " + current.fhirType() + "/"
                    + current.getIdElement().getIdPart() + ": " + e.getMessage());
        }
        if (patched.getValueType() != JsonValue.ValueType.OBJECT
                || !current.fhirType().equals(patched.asJsonObject().getString("resourceType", null))) {
            throw new UnprocessableEntityException("A patch cannot change the resource type of " + current.fhirType());
        }
        try {
            return context.newJsonParser().parseResource(patched.toString());
        } catch (DataFormatException e) {
            throw new UnprocessableEntityException("The patched " + current.fhirType() + " is not a valid resource: "
                    + e.getMessage());
        }
    }
}
