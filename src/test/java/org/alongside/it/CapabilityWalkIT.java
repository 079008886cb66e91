package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.junit.jupiter.api.Test;

/**
 * The CapabilityStatement is a promise: for every resource type it lists, each declared interaction is
 * exercised here over HTTP, in the order a client would use them, and must work. (Every declared search
 * parameter is exercised by {@link OperationsIT}, the operations by the mentorship and conformance tests.)
 */
class CapabilityWalkIT {

    private final IGenericClient client = FhirServer.client();

    @Test
    void everyDeclaredInteractionOfEveryWritableTypeWorks() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        int walked = 0;
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            Set<TypeRestfulInteraction> declared = resource.getInteraction().stream()
                    .map(CapabilityStatement.ResourceInteractionComponent::getCode)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(TypeRestfulInteraction.class)));
            if (!declared.contains(TypeRestfulInteraction.CREATE)) {
                // read-only types (conformance resources, HAPI's OperationDefinitions): only reads, writes refused
                assertThat(declared).as(resource.getType()).isNotEmpty()
                        .isSubsetOf(TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
                if (declared.contains(TypeRestfulInteraction.SEARCHTYPE)) {
                    assertThat(FhirServer.get("/" + resource.getType()).statusCode()).isEqualTo(200);
                }
                assertThat(FhirServer.send("POST", "/" + resource.getType(), "application/fhir+json",
                        "{\"resourceType\":\"" + resource.getType() + "\"}").statusCode()).isBetween(400, 499);
                continue;
            }
            walk(resource.getType(), declared);
            walked++;
        }
        assertThat(walked).isEqualTo(15);
        assertThat(capability.getRestFirstRep().getInteraction())
                .extracting(i -> i.getCode().toCode()).contains("transaction", "batch", "history-system");
        assertThat(FhirServer.get("/_history?_count=1").statusCode()).isEqualTo(200);
    }

    /**
     * The smallest body each type accepts, with {@code extra} elements. Subscriptions must be usable (R4 requires
     * status, reason, criteria and channel); this one is off, so it never notifies anyone.
     */
    private static String body(String type, String extra) {
        String required = !type.equals("Subscription") ? "" : ",\"status\":\"off\",\"reason\":\"walk\","
                + "\"criteria\":\"Patient?_id=walk\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/walk\"}";
        return "{\"resourceType\":\"" + type + "\"" + extra + required + "}";
    }

    private void walk(String type, Set<TypeRestfulInteraction> declared) {
        String body = body(type, "");
        assertThat(declared).as(type).contains(TypeRestfulInteraction.CREATE, TypeRestfulInteraction.READ,
                TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE,
                TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.HISTORYTYPE,
                TypeRestfulInteraction.SEARCHTYPE).doesNotContain(TypeRestfulInteraction.PATCH);

        HttpResponse<String> created = FhirServer.send("POST", "/" + type, "application/fhir+json", body);
        assertThat(created.statusCode()).as(type + " create").isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.replaceAll(".*/" + type + "/([^/]+)/_history/.*", "$1");

        assertThat(FhirServer.get("/" + type + "/" + id).statusCode()).as(type + " read").isEqualTo(200);
        assertThat(FhirServer.get("/" + type + "/" + id + "/_history/1").statusCode()).as(type + " vread").isEqualTo(200);
        HttpResponse<String> updated = FhirServer.send("PUT", "/" + type + "/" + id, "application/fhir+json",
                body(type, ",\"id\":\"" + id + "\",\"meta\":{\"tag\":[{\"code\":\"walked\"}]}"));
        assertThat(updated.statusCode()).as(type + " update").isEqualTo(200);
        assertThat(FhirServer.get("/" + type + "/" + id + "/_history").body()).as(type + " history-instance")
                .contains("\"type\":\"history\"", "W/\\\"2\\\"", "W/\\\"1\\\"");
        assertThat(FhirServer.get("/" + type + "/_history?_count=1").statusCode()).as(type + " history-type")
                .isEqualTo(200);
        assertThat(FhirServer.get("/" + type + "?_id=" + id).body()).as(type + " search-type").contains(id);
        assertThat(FhirServer.send("DELETE", "/" + type + "/" + id, null, null).statusCode()).as(type + " delete")
                .isIn(200, 204);
        assertThat(FhirServer.get("/" + type + "/" + id).statusCode()).as(type + " gone").isEqualTo(410);
    }
}
