package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.alongside.mentorship.MentorshipCodes;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class MentorshipTopicsTest {

    private static final Optional<IBaseResource> CREATED = Optional.empty();

    private static ServiceRequest referral(ServiceRequestStatus status) {
        ServiceRequest referral = new ServiceRequest().setStatus(status);
        referral.getCode().addCoding(new Coding(MentorshipCodes.SNOMED, MentorshipCodes.REFERRAL_TO_PEER_SUPPORT, null));
        return referral;
    }

    private static boolean fires(Topic topic, IBaseResource current, Optional<IBaseResource> previous) {
        return topic.fires(current, () -> previous);
    }

    @Test
    void anAssignmentStartsWhenAReferralIsCreatedActiveOrBecomesActive() {
        Topic topic = MentorshipTopics.ASSIGNMENT_STARTED;
        assertThat(fires(topic, referral(ServiceRequestStatus.ACTIVE), CREATED)).isTrue();
        assertThat(fires(topic, referral(ServiceRequestStatus.ACTIVE), Optional.of(referral(ServiceRequestStatus.DRAFT))))
                .isTrue();
        assertThat(fires(topic, referral(ServiceRequestStatus.ACTIVE), Optional.of(referral(ServiceRequestStatus.ACTIVE))))
                .as("an edit of an active referral is no new assignment").isFalse();
        assertThat(fires(topic, referral(ServiceRequestStatus.DRAFT), CREATED)).isFalse();
        ServiceRequest other = new ServiceRequest().setStatus(ServiceRequestStatus.ACTIVE);
        other.getCode().addCoding(new Coding(MentorshipCodes.SNOMED, "12345", null));
        assertThat(fires(topic, other, CREATED)).as("a referral to something else").isFalse();
    }

    @Test
    void anAssignmentEndsWhenAnActiveReferralIsCompletedOrRevoked() {
        Topic topic = MentorshipTopics.ASSIGNMENT_ENDED;
        Optional<IBaseResource> wasActive = Optional.of(referral(ServiceRequestStatus.ACTIVE));
        assertThat(fires(topic, referral(ServiceRequestStatus.COMPLETED), wasActive)).isTrue();
        assertThat(fires(topic, referral(ServiceRequestStatus.REVOKED), wasActive)).isTrue();
        assertThat(fires(topic, referral(ServiceRequestStatus.COMPLETED),
                Optional.of(referral(ServiceRequestStatus.COMPLETED)))).as("an edit of an ended one").isFalse();
        assertThat(fires(topic, referral(ServiceRequestStatus.COMPLETED), CREATED)).as("created ended").isFalse();
    }

    @Test
    void theEarlierVersionIsReadOnlyWhenTheNewOnePasses() {
        int[] reads = {0};
        MentorshipTopics.ASSIGNMENT_ENDED.fires(referral(ServiceRequestStatus.ACTIVE), () -> {
            reads[0]++;
            return CREATED;
        });
        assertThat(reads[0]).isZero();
    }

    @Test
    void aSessionIsRecordedWhenAnH0038EncounterIsCreated() {
        Encounter session = new Encounter();
        session.addType().addCoding(new Coding(MentorshipCodes.HCPCS, MentorshipCodes.PEER_SERVICES, null));
        assertThat(fires(MentorshipTopics.SESSION_RECORDED, session, CREATED)).isTrue();
        assertThat(fires(MentorshipTopics.SESSION_RECORDED, session, Optional.of(session.copy())))
                .as("an edit of the session").isFalse();
        assertThat(fires(MentorshipTopics.SESSION_RECORDED, new Encounter(), CREATED)).as("another encounter").isFalse();
    }

    @Test
    void aReviewIsACosignatureWithAVerifierOrAReturnWithItsActivity() {
        Provenance cosign = new Provenance();
        cosign.addAgent().getType().addCoding(new Coding(MentorshipTopics.PROVENANCE_PARTICIPANT, "author", null));
        cosign.addAgent().getType().addCoding(new Coding(MentorshipTopics.PROVENANCE_PARTICIPANT, "verifier", null));
        Provenance returned = new Provenance();
        returned.addAgent().getType().addCoding(new Coding(MentorshipTopics.PROVENANCE_PARTICIPANT, "performer", null));
        returned.setActivity(new CodeableConcept(new Coding(MentorshipTopics.REVIEW_OUTCOME, "returned", null)));
        assertThat(fires(MentorshipTopics.NOTE_COSIGNED, cosign, CREATED)).isTrue();
        assertThat(fires(MentorshipTopics.NOTE_COSIGNED, returned, CREATED)).isFalse();
        assertThat(fires(MentorshipTopics.NOTE_RETURNED, returned, CREATED)).isTrue();
        assertThat(fires(MentorshipTopics.NOTE_RETURNED, cosign, CREATED)).isFalse();
    }

    @Test
    void anEscalationOpensWhenAWorriedTaskIsCreated() {
        Task worried = new Task().setCode(new CodeableConcept(new Coding(MentorshipCodes.CRISIS_SUPPORT,
                MentorshipTopics.WORRIED, null)));
        assertThat(fires(MentorshipTopics.ESCALATION_OPENED, worried, CREATED)).isTrue();
        assertThat(fires(MentorshipTopics.ESCALATION_OPENED, worried, Optional.of(worried.copy()))).isFalse();
        assertThat(fires(MentorshipTopics.ESCALATION_OPENED, new Task(), CREATED)).isFalse();
    }

    @Test
    void aTopicNeverFiresForAnotherResourceType() {
        assertThat(fires(MentorshipTopics.SESSION_RECORDED, referral(ServiceRequestStatus.ACTIVE), CREATED)).isFalse();
    }

    @Test
    void everyTopicIsPublishedAsAnR4BasicWithTheSameUrlAndResource() throws IOException {
        Path folder = Path.of("fhir-profiles", "SubscriptionTopic");
        List<String> indexed = new ArrayList<>();
        new ObjectMapper().readTree(Path.of("fhir-profiles", "index.json").toFile()).get("topics")
                .forEach(n -> indexed.add(n.asText()));
        List<String> onDisk;
        try (Stream<Path> files = Files.list(folder)) {
            onDisk = files.map(p -> "SubscriptionTopic/" + p.getFileName()).sorted().toList();
        }
        assertThat(indexed).as("index.json topics").containsExactlyInAnyOrderElementsOf(onDisk);
        var parser = FhirContext.forR4Cached().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<String> published = new ArrayList<>();
        for (String file : onDisk) {
            Basic basic = parser.parseResource(Basic.class, Files.readString(Path.of("fhir-profiles", file)));
            assertThat(basic.getCode().getCodingFirstRep().getCode()).as(file).isEqualTo("SubscriptionTopic");
            String url = basic.getExtensionString("http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.url");
            Topic topic = MentorshipTopics.byUrl(url).orElseThrow(() -> new AssertionError(file + ": unknown " + url));
            assertThat(basic.getIdElement().getIdPart()).as(file).isEqualTo(topic.id());
            Extension trigger = basic.getExtensionByUrl(
                    "http://hl7.org/fhir/4.3/StructureDefinition/extension-SubscriptionTopic.resourceTrigger");
            assertThat(trigger.getExtensionByUrl("resource").getValue().primitiveValue()).as(file)
                    .isEqualTo("http://hl7.org/fhir/StructureDefinition/" + topic.resourceType());
            Extension filter = basic.getExtensionByUrl(
                    "http://hl7.org/fhir/4.3/StructureDefinition/extension-SubscriptionTopic.canFilterBy");
            assertThat(filter.getExtensionByUrl("filterParameter").getValue().primitiveValue()).isEqualTo("patient");
            published.add(url);
        }
        assertThat(published).containsExactlyInAnyOrderElementsOf(MentorshipTopics.ALL.stream().map(Topic::url).toList());
    }
}
