package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.alongside.it.FhirServer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Test data for the browser tests, written through FHIR (FhirServer.send, which carries the test's
 * credentials once the server needs them) with ids unique to one run: a clinic, peers, a supervisor, a
 * clinician, people in recovery with care plans and goals.
 */
final class Scene {

    static final String JSON = "application/fhir+json";
    static final String FOCUS = "http://alongside.health/fhir/CodeSystem/focus-area";
    static final FhirContext FHIR = FhirServer.FHIR;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    String id(String name) {
        return name + "-" + run;
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpResponse<String> response = FhirServer.send(method, path, JSON, body, headers);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response;
    }

    void put(String type, String id, String json) {
        send("PUT", "/" + type + "/" + id, json);
    }

    /** A Patient with a name; returns its id. */
    String patient(String name, String given, String family) {
        String id = id(name);
        put("Patient", id, """
                {"resourceType":"Patient","id":"%s","name":[{"family":"%s","given":["%s"]}]}""".formatted(id, family, given));
        return id;
    }

    String practitioner(String name, String display) {
        String id = id(name);
        put("Practitioner", id, """
                {"resourceType":"Practitioner","id":"%s","name":[{"text":"%s"}]}""".formatted(id, display));
        return id;
    }

    /** The practitioner, speaking these languages (Practitioner.communication, BCP 47 codes, preferred first). */
    String practitioner(String name, String display, String... languages) {
        String id = id(name);
        String spoken = java.util.Arrays.stream(languages)
                .map(code -> "{\"coding\":[{\"system\":\"urn:ietf:bcp:47\",\"code\":\"" + code + "\"}]}")
                .collect(java.util.stream.Collectors.joining(","));
        put("Practitioner", id, """
                {"resourceType":"Practitioner","id":"%s","name":[{"text":"%s"}],"communication":[%s]}"""
                .formatted(id, display, spoken));
        return id;
    }

    /**
     * What the person brings to matching: the clinic as their organisation, their preferred language
     * (Patient.communication) and the lived experience they asked for in a mentor (extension peer-mentor-preference).
     */
    void matchingWishes(String patientId, String given, String family, String language, String livedExperience) {
        put("Patient", patientId, """
                {"resourceType":"Patient","id":"%s","name":[{"family":"%s","given":["%s"]}],
                 "managingOrganization":{"reference":"Organization/%s"},
                 "communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"%s"}]},"preferred":true}],
                 "extension":[{"url":"http://alongside.health/fhir/StructureDefinition/peer-mentor-preference",
                   "valueCodeableConcept":{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/lived-experience","code":"%s"}]}}]}"""
                .formatted(patientId, family, given, id("clinic"), language, livedExperience));
    }

    /** A peer specialist role that shares a lived-experience area (extension lived-experience on the role). */
    String peerRoleWithLivedExperience(String practitionerId, String livedExperience) {
        String id = practitionerId + "-role";
        put("PractitionerRole", id, """
                {"resourceType":"PractitionerRole","id":"%s","active":true,
                 "practitioner":{"reference":"Practitioner/%s"},"organization":{"reference":"Organization/%s"},
                 "code":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"175T00000X","display":"Peer Specialist"}]}],
                 "extension":[{"url":"http://alongside.health/fhir/StructureDefinition/lived-experience",
                   "valueCodeableConcept":{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/lived-experience","code":"%s"}]}}]}"""
                .formatted(id, practitionerId, id("clinic"), livedExperience));
        return id;
    }

    /** The clinic, with its own crisis line (Organization.contact, purpose crisis-support#crisis-line). */
    void organization() {
        put("Organization", id("clinic"), """
                {"resourceType":"Organization","id":"%s","name":"Riverside Recovery Clinic",
                 "contact":[{"purpose":{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/crisis-support","code":"crisis-line"}]},
                   "name":{"text":"Riverside after-hours line"},"telecom":[{"system":"phone","value":"+1 555 0100"}]}]}"""
                .formatted(id("clinic")));
    }

    /** A safety plan the care team keeps: an active CarePlan with category crisis-support#safety-plan. */
    void safetyPlan(String patientId) {
        put("CarePlan", patientId + "-safety", """
                {"resourceType":"CarePlan","id":"%s","status":"active","intent":"plan","title":"Safety plan",
                 "category":[{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/crisis-support","code":"safety-plan"}]}],
                 "subject":{"reference":"Patient/%s"},
                 "activity":[{"detail":{"status":"in-progress","code":{"text":"Warning signs"},"description":"Not sleeping, skipping group"}},
                   {"detail":{"status":"in-progress","code":{"text":"People to call"},"description":"Sister Ana; Jordan (peer)"}}]}"""
                .formatted(patientId + "-safety", patientId));
    }

    /** "I'm worried" through Patient/$escalate, as an EHR would raise it. */
    void escalate(String patientId, String requester, String what, String urgency) {
        send("POST", "/Patient/" + patientId + "/$escalate", """
                {"resourceType":"Parameters","parameter":[{"name":"what","valueString":"%s"},
                  {"name":"urgency","valueCode":"%s"},{"name":"requester","valueReference":{"reference":"%s"}}]}"""
                .formatted(what, urgency, requester));
    }

    /** A peer specialist role (NUCC 175T00000X) for the practitioner, optionally supervised by a role. */
    String peerRole(String practitionerId, String supervisorRoleId) {
        String id = practitionerId + "-role";
        String supervised = supervisorRoleId == null ? "" : """
                ,"extension":[{"url":"http://alongside.health/fhir/StructureDefinition/supervised-by","valueReference":{"reference":"PractitionerRole/%s"}}]"""
                .formatted(supervisorRoleId);
        put("PractitionerRole", id, """
                {"resourceType":"PractitionerRole","id":"%s","active":true,
                 "practitioner":{"reference":"Practitioner/%s"},"organization":{"reference":"Organization/%s"},
                 "code":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"175T00000X","display":"Peer Specialist"}]}]%s}"""
                .formatted(id, practitionerId, id("clinic"), supervised));
        return id;
    }

    /** A recovery goal and an active care plan naming it; a clinical care team with the clinician. Returns the plan id. */
    String plan(String patientId, String goalText, String clinicianId) {
        String goal = patientId + "-goal";
        put("Goal", goal, """
                {"resourceType":"Goal","id":"%s","lifecycleStatus":"active",
                 "category":[{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/goal-category","code":"recovery"}]}],
                 "description":{"text":"%s"},"subject":{"reference":"Patient/%s"},"expressedBy":{"reference":"Patient/%s"},
                 "startDate":"%s"}""".formatted(goal, goalText, patientId, patientId, LocalDate.now(ZoneOffset.UTC).minusDays(30)));
        String plan = patientId + "-plan";
        put("CarePlan", plan, """
                {"resourceType":"CarePlan","id":"%s","status":"active","intent":"plan","title":"Recovery plan",
                 "subject":{"reference":"Patient/%s"},"goal":[{"reference":"Goal/%s"}],
                 "activity":[{"detail":{"status":"in-progress","description":"Weekly CBT"}}]}""".formatted(plan, patientId, goal));
        if (clinicianId != null) {
            put("CareTeam", patientId + "-clinical", """
                    {"resourceType":"CareTeam","id":"%s","status":"active","name":"Clinical team","subject":{"reference":"Patient/%s"},
                     "participant":[{"member":{"reference":"Practitioner/%s"}}]}""".formatted(patientId + "-clinical", patientId, clinicianId));
        }
        return plan;
    }

    void assign(String planId, String peerRoleId, String assignerId, LocalDate start) {
        send("POST", "/CarePlan/" + planId + "/$assign-peer-mentor", """
                {"resourceType":"Parameters","parameter":[
                  {"name":"peer","valueReference":{"reference":"PractitionerRole/%s"}},
                  {"name":"assigner","valueReference":{"reference":"Practitioner/%s"}},
                  {"name":"start","valueDate":"%s"}]}""".formatted(peerRoleId, assignerId, start));
    }

    /** A session recorded as the app would, started at the given time, in the given modality. */
    void session(String patientId, String peerRoleId, Instant start, int minutes, String modality, String what) {
        send("POST", "/Encounter/$record-peer-session", """
                {"resourceType":"Parameters","parameter":[
                  {"name":"patient","valueReference":{"reference":"Patient/%s"}},
                  {"name":"peer","valueReference":{"reference":"PractitionerRole/%s"}},
                  {"name":"start","valueDateTime":"%s"},{"name":"end","valueDateTime":"%s"},
                  {"name":"modality","valueString":"%s"},
                  {"name":"focus","valueCoding":{"system":"%s","code":"cravings"}},
                  {"name":"whatWasDone","valueString":"%s"},
                  {"name":"response","valueString":"Felt calmer"},{"name":"nextSteps","valueString":"Call on Friday"}]}"""
                .formatted(patientId, peerRoleId, start.truncatedTo(ChronoUnit.SECONDS),
                        start.plus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS), modality, FOCUS, what));
    }

    /** An encouragement message sent by the peer. */
    void encouragement(String patientId, String peerRoleId, Instant sent, String text) {
        send("POST", "/Communication", """
                {"resourceType":"Communication","status":"completed",
                 "category":[{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/message-category","code":"encouragement"}]}],
                 "subject":{"reference":"Patient/%s"},"recipient":[{"reference":"Patient/%s"}],
                 "sender":{"reference":"PractitionerRole/%s"},"sent":"%s","payload":[{"contentString":"%s"}]}"""
                .formatted(patientId, patientId, peerRoleId, sent.truncatedTo(ChronoUnit.SECONDS), text));
    }

    /** A therapy record on the plan: a CBT session Procedure based on the CarePlan. */
    void therapy(String patientId, String planId, Instant when, String text) {
        send("POST", "/Procedure", """
                {"resourceType":"Procedure","status":"completed","basedOn":[{"reference":"CarePlan/%s"}],
                 "code":{"text":"%s"},"subject":{"reference":"Patient/%s"},"performedDateTime":"%s"}"""
                .formatted(planId, text, patientId, when.truncatedTo(ChronoUnit.SECONDS)));
    }

    /** The resources a search finds (first page, up to 100). */
    Bundle search(String query) {
        HttpResponse<String> response = FhirServer.get("/" + query + (query.contains("?") ? "&" : "?") + "_count=100");
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        return (Bundle) FHIR.newJsonParser().parseResource(response.body());
    }

    int count(String query) {
        return search(query).getEntry().size();
    }

    static <T extends IBaseResource> java.util.List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }
}
