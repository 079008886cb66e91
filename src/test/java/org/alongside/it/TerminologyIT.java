package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;
import org.junit.jupiter.api.Test;

/**
 * The terminology operations over HTTP, as an app filling a picker or an EHR checking a code calls them with HAPI's
 * generic client: $expand (filter, paging with the total, Spanish displays; type level by url and on an instance),
 * $lookup, $validate-code on ValueSet and CodeSystem, GET and POST, bad input, who may call them, and the audit.
 */
class TerminologyIT {

    private static final IGenericClient CLIENT = FhirServer.client();
    private static final String BASE = "http://alongside.health/fhir";
    private static final String FOCUS_AREAS = BASE + "/ValueSet/focus-area";
    private static final String MODALITY = BASE + "/CodeSystem/session-modality";

    private static ValueSet expand(IGenericClient client, Parameters parameters) {
        return client.operation().onType(ValueSet.class).named("$expand").withParameters(parameters).useHttpGet()
                .returnResourceType(ValueSet.class).execute();
    }

    private static List<String> codes(ValueSet expansion) {
        return expansion.getExpansion().getContains().stream().map(ValueSetExpansionContainsComponent::getCode).toList();
    }

    private static Object value(Parameters parameters, String name) {
        Parameters.ParametersParameterComponent part = parameters.getParameter(name);
        return part == null ? null : part.getValue().primitiveValue();
    }

    @Test
    void aFilterNarrowsTheExpansionByTheStartOfAWord() {
        Parameters in = new Parameters();
        in.addParameter().setName("url").setValue(new UriType(FOCUS_AREAS));
        in.addParameter().setName("filter").setValue(new StringType("relap"));

        ValueSet expansion = expand(CLIENT, in);

        assertThat(codes(expansion)).containsExactly("setback-relapse");
        assertThat(expansion.getExpansion().getTotal()).isEqualTo(1);
        assertThat(expansion.getUrl()).isEqualTo(FOCUS_AREAS);
    }

    @Test
    void pagesFollowEachOtherWithTheTotalOfAllCodes() {
        Parameters first = new Parameters();
        first.addParameter().setName("url").setValue(new UriType(FOCUS_AREAS));
        first.addParameter().setName("count").setValue(new IntegerType(4));
        Parameters second = first.copy();
        second.addParameter().setName("offset").setValue(new IntegerType(4));

        ValueSet one = expand(CLIENT, first);
        ValueSet two = expand(CLIENT, second);
        ValueSet all = expand(CLIENT, new Parameters().addParameter("url", new UriType(FOCUS_AREAS)));

        assertThat(one.getExpansion().getTotal()).isEqualTo(11);
        assertThat(two.getExpansion().getTotal()).isEqualTo(11);
        assertThat(two.getExpansion().getOffset()).isEqualTo(4);
        assertThat(codes(one)).hasSize(4).startsWith("cravings", "setback-relapse");
        assertThat(codes(two)).hasSize(4);
        assertThat(codes(all)).hasSize(11).startsWith(codes(one).toArray(String[]::new));
        assertThat(codes(all).subList(4, 8)).isEqualTo(codes(two));
    }

    @Test
    void anInstanceExpandsInSpanishWithItsDesignationsByPost() {
        Parameters in = new Parameters();
        in.addParameter().setName("displayLanguage").setValue(new CodeType("es"));
        in.addParameter().setName("includeDesignations").setValue(new BooleanType(true));

        ValueSet expansion = CLIENT.operation().onInstance(new IdType("ValueSet", "session-modality"))
                .named("$expand").withParameters(in).returnResourceType(ValueSet.class).execute();

        assertThat(expansion.getExpansion().getContains()).extracting(ValueSetExpansionContainsComponent::getDisplay)
                .containsExactly("En persona", "Teléfono", "Video", "Texto");
        assertThat(expansion.getExpansion().getContainsFirstRep().getDesignation())
                .extracting(d -> d.getLanguage() + ":" + d.getValue()).containsExactly("es:En persona");
    }

    @Test
    void aBaseR4ValueSetExpandsByItsUrl() {
        ValueSet expansion = expand(CLIENT, new Parameters().addParameter("url",
                new UriType("http://hl7.org/fhir/ValueSet/administrative-gender")));

        assertThat(codes(expansion)).containsExactly("male", "female", "other", "unknown");
    }

    @Test
    void lookupGivesTheNameDisplayDesignationsAndDefinitionOfACode() {
        Parameters out = CLIENT.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "system", new UriType(BASE + "/CodeSystem/focus-area"))
                .andParameter("code", new CodeType("cravings")).useHttpGet().execute();

        assertThat(value(out, "name")).isEqualTo("FocusArea");
        assertThat(value(out, "display")).isEqualTo("Cravings");
        Parameters.ParametersParameterComponent designation = out.getParameter("designation");
        // every part carries a value (R4's rule for Parameters): no empty "use" when the designation has none
        assertThat(designation.getPart()).extracting(p -> p.getName() + "=" + p.getValue().primitiveValue())
                .containsExactlyInAnyOrder("language=es", "value=Antojos");
        assertThat(out.getParameter().stream().filter(p -> p.getName().equals("property"))
                .flatMap(p -> p.getPart().stream()).map(p -> p.getValue().primitiveValue()))
                .contains("definition", "Coping with cravings or urges to use.");
    }

    @Test
    void lookupOfACodingInSpanishByPost() {
        Parameters out = CLIENT.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "coding", new Coding(MODALITY, "phone", null))
                .andParameter("displayLanguage", new CodeType("es")).execute();

        assertThat(value(out, "display")).isEqualTo("Teléfono");
    }

    @Test
    void aCodeOfTheValueSetIsValidAndAnotherIsNotWithAMessage() {
        Parameters valid = CLIENT.operation().onType(ValueSet.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(BASE + "/ValueSet/session-modality"))
                .andParameter("system", new UriType(MODALITY)).andParameter("code", new CodeType("video"))
                .useHttpGet().execute();
        Parameters invalid = CLIENT.operation().onType(ValueSet.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(BASE + "/ValueSet/session-modality"))
                .andParameter("system", new UriType(MODALITY)).andParameter("code", new CodeType("fax"))
                .useHttpGet().execute();

        assertThat(value(valid, "result")).isEqualTo("true");
        assertThat(value(valid, "display")).isEqualTo("Video");
        assertThat(value(invalid, "result")).isEqualTo("false");
        assertThat((String) value(invalid, "message")).contains("fax");
    }

    @Test
    void aCodeableConceptIsValidOnAnInstanceWhenOneOfItsCodingsIs() {
        CodeableConcept concept = new CodeableConcept().addCoding(new Coding("http://example.org/local", "x", null))
                .addCoding(new Coding(BASE + "/CodeSystem/focus-area", "belonging", null));

        Parameters out = CLIENT.operation().onInstance(new IdType("ValueSet", "focus-area")).named("$validate-code")
                .withParameter(Parameters.class, "codeableConcept", concept).execute();

        assertThat(value(out, "result")).isEqualTo("true");
    }

    @Test
    void aCodeSystemValidatesItsCodesAndAnUnknownSystemOrValueSetIsNotValid() {
        Parameters known = CLIENT.operation().onInstance(new IdType("CodeSystem", "end-reason")).named("$validate-code")
                .withParameter(Parameters.class, "code", new CodeType("no-such-reason")).useHttpGet().execute();
        Parameters gender = CLIENT.operation().onType(CodeSystem.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType("http://hl7.org/fhir/administrative-gender"))
                .andParameter("code", new CodeType("female")).useHttpGet().execute();
        Parameters unknownSystem = CLIENT.operation().onType(CodeSystem.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType("http://example.org/none"))
                .andParameter("code", new CodeType("x")).useHttpGet().execute();
        Parameters unknownValueSet = CLIENT.operation().onType(ValueSet.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType("http://example.org/ValueSet/none"))
                .andParameter("system", new UriType(MODALITY)).andParameter("code", new CodeType("phone"))
                .useHttpGet().execute();

        assertThat(value(known, "result")).isEqualTo("false");
        assertThat(value(gender, "result")).isEqualTo("true");
        assertThat(value(gender, "display")).isEqualTo("Female");
        assertThat(value(unknownSystem, "result")).isEqualTo("false");
        assertThat((String) value(unknownSystem, "message")).isNotBlank();
        assertThat(value(unknownValueSet, "result")).isEqualTo("false");
        assertThat((String) value(unknownValueSet, "message")).contains("http://example.org/ValueSet/none");
    }

    @Test
    void badInputIsAnOperationOutcomeWithItsStatus() {
        assertStatus(FhirServer.get("/ValueSet/$expand?url=" + FOCUS_AREAS + "&count=-1"), 400, "count");
        assertStatus(FhirServer.get("/ValueSet/$expand?url=" + FOCUS_AREAS + "&count=many"), 400, "count");
        assertStatus(FhirServer.get("/ValueSet/$expand?filter=calm"), 400, "url");
        assertStatus(FhirServer.get("/ValueSet/$expand?url=" + FOCUS_AREAS + "&activeOnly=true"), 400, "activeOnly");
        assertStatus(FhirServer.get("/ValueSet/$expand?url=http://example.org/ValueSet/none"), 404, "not known");
        assertStatus(FhirServer.get("/ValueSet/no-such-set/$expand"), 404, "not known");
        assertStatus(FhirServer.get("/CodeSystem/$lookup?system=" + MODALITY + "&code=fax"), 404, "fax");
        assertStatus(FhirServer.get("/CodeSystem/$lookup?code=phone"), 400, "system");
        assertStatus(FhirServer.get("/CodeSystem/$validate-code?url=" + MODALITY), 400, "code");
        assertStatus(FhirServer.send("POST", "/ValueSet/$expand", "application/fhir+json",
                "{\"resourceType\":\"Patient\"}"), 400, "Parameters");
        // a value set over a code system the server does not hold cannot be expanded here
        assertStatus(FhirServer.send("POST", "/ValueSet/$expand", "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"valueSet\",\"resource\":"
                        + "{\"resourceType\":\"ValueSet\",\"status\":\"active\",\"compose\":{\"include\":[{\"system\":"
                        + "\"http://snomed.info/sct\",\"filter\":[{\"property\":\"concept\",\"op\":\"is-a\","
                        + "\"value\":\"404684003\"}]}]}}}]}"), 422, "snomed");
    }

    private static void assertStatus(HttpResponse<String> response, int status, String mentions) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        OperationOutcome outcome = FhirServer.FHIR.newJsonParser().parseResource(OperationOutcome.class,
                response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).containsIgnoringCase(mentions);
    }

    @Test
    void aCallerWithoutATokenIsRefusedAndAnyAuthenticatedCallerMayAsk() {
        Parameters in = new Parameters().addParameter("url", new UriType(FOCUS_AREAS));
        assertThatThrownBy(() -> expand(FhirServer.anonymousClient(), in))
                .isInstanceOf(AuthenticationException.class)
                .extracting(e -> ((BaseServerResponseException) e).getStatusCode()).isEqualTo(401);
        // a peer's app launched for one person, whose token names no terminology scope, fills its pickers
        String peer = FhirServer.token("peer-specialist", "Practitioner/terminology-peer",
                "launch/patient patient/Communication.cru", "terminology-person");

        assertThat(codes(expand(FhirServer.clientWith(peer), in))).hasSize(11);
    }

    @Test
    void everyCallIsAudited() {
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> r = FhirServer.get("/ValueSet/focus-area/$expand?filter=goal", "X-Request-ID", requestId);
        assertThat(r.statusCode()).isEqualTo(200);

        Bundle events = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class,
                FhirServer.get("/AuditEvent?request-id=" + requestId).body());

        assertThat(events.getEntry()).hasSize(1);
        AuditEvent event = (AuditEvent) events.getEntryFirstRep().getResource();
        assertThat(event.getOutcome().toCode()).isEqualTo("0");
        assertThat(event.getEntity()).extracting(e -> e.getWhat().getReference()).contains("ValueSet/focus-area");
    }
}
