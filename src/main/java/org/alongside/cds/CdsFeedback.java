package org.alongside.cds;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A CDS Hooks feedback body: {@code feedback[]}, each with the {@code card} uuid, an {@code outcome} (accepted or
 * overridden), the {@code acceptedSuggestions} ids and an {@code outcomeTimestamp}.
 */
record CdsFeedback(List<Item> items) {

    record Item(String card, String outcome, List<String> acceptedSuggestions) {
    }

    static CdsFeedback parse(String body) {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new CdsRequest.Invalid("The body is not a JSON object");
        }
        if (!(json.get("feedback") instanceof JsonArray feedback)) {
            throw new CdsRequest.Invalid("feedback is required and must be an array");
        }
        List<Item> items = new ArrayList<>();
        for (JsonValue value : feedback) {
            if (!(value instanceof JsonObject item) || !(item.get("card") instanceof JsonString card)
                    || !(item.get("outcome") instanceof JsonString outcome)
                    || !List.of("accepted", "overridden").contains(outcome.getString())
                    || !(item.get("outcomeTimestamp") instanceof JsonString)) {
                throw new CdsRequest.Invalid("Each feedback item needs card, outcome (accepted or overridden) and "
                        + "outcomeTimestamp");
            }
            List<String> accepted = new ArrayList<>();
            if (item.get("acceptedSuggestions") instanceof JsonArray suggestions) {
                for (JsonValue suggestion : suggestions) {
                    if (!(suggestion instanceof JsonObject s) || !(s.get("id") instanceof JsonString id)) {
                        throw new CdsRequest.Invalid("Each accepted suggestion needs an id");
                    }
                    accepted.add(id.getString());
                }
            }
            items.add(new Item(card.getString(), outcome.getString(), accepted));
        }
        return new CdsFeedback(items);
    }
}
