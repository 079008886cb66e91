package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.CRISIS_SUPPORT;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * "I'm worried": a peer (or an EHR on someone's behalf) tells the care team that something happened, in a sentence,
 * with an urgency. One transaction writes an urgent Task for the care team's clinician (code crisis-support
 * #peer-worried, status requested) and a Flag on the person (status active) that the Task names as its focus. Both
 * are written through the pipeline as the caller, so reach, authorship (the requester must be the caller), audit and
 * Subscriptions apply as to any write. The clinician acknowledges by moving the Task on (accepted) and closing the
 * Flag (inactive), in one transaction Bundle. A client key makes a retried request store nothing twice.
 */
@ApplicationScoped
@Transactional
public class EscalationService {

    static final String KEY_SYSTEM = MentorshipCodes.BASE + "/escalation-key";
    public static final String WORRIED = "peer-worried";
    static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";

    /** How soon the care team should act: FHIR request-priority codes, from "today" to "now". */
    public enum Urgency {
        URGENT(Task.TaskPriority.URGENT), ASAP(Task.TaskPriority.ASAP), STAT(Task.TaskPriority.STAT);

        final Task.TaskPriority priority;

        Urgency(Task.TaskPriority priority) {
            this.priority = priority;
        }

        public static Urgency of(String code) {
            for (Urgency u : values()) {
                if (u.priority.toCode().equals(code)) {
                    return u;
                }
            }
            throw new InvalidRequestException("urgency must be urgent, asap or stat, not " + code);
        }
    }

    /** What the peer said: about whom, what happened, how urgent, who says it. */
    public record Worry(String patientId, String what, Urgency urgency, Reference requester, String clientKey) {
    }

    private ResourceStore store;
    private SearchRequestParser parser;
    private InteractionPipeline pipeline;

    /** For the CDI proxy of this application-scoped bean. */
    protected EscalationService() {
    }

    @Inject
    EscalationService(ResourceStore store, SearchRequestParser parser, InteractionPipeline pipeline) {
        this.store = store;
        this.parser = parser;
        this.pipeline = pipeline;
    }

    /** The Task and the Flag written (or, for a retried client key, the Task written the first time). */
    public List<IBaseResource> escalate(Worry worry) {
        if (worry.what() == null || worry.what().isBlank()) {
            throw new InvalidRequestException("Parameter 'what' must say what happened");
        }
        String requester = worry.requester().getReference();
        if (requester == null || !(requester.startsWith("Practitioner/") || requester.startsWith("PractitionerRole/"))) {
            throw new InvalidRequestException("The requester must be a reference to a Practitioner or PractitionerRole");
        }
        Reference patient = new Reference("Patient/" + pipeline.read("Patient", worry.patientId())
                .getIdElement().getIdPart());
        Date now = new Date();
        String flagId = UUID.randomUUID().toString();
        Task task = task(worry, patient, now, flagId);
        Optional<SearchQuery> ifNoneExist = worry.clientKey() == null ? Optional.empty()
                : Optional.of(parser.parse("Task", Map.of("identifier", List.of(KEY_SYSTEM + "|" + worry.clientKey())),
                        null, false));
        WriteResult stored = pipeline.create(task, ifNoneExist);
        if (!stored.created()) {
            return List.of(stored.resource()); // a retry: its Flag was written the first time
        }
        Flag flag = flag(worry, patient, now);
        return List.of(stored.resource(), pipeline.createWithId(flag, flagId, Optional.empty()).resource());
    }

    private Task task(Worry worry, Reference patient, Date now, String flagId) {
        Task task = new Task()
                .setStatus(Task.TaskStatus.REQUESTED)
                .setIntent(Task.TaskIntent.ORDER)
                .setPriority(worry.urgency().priority)
                .setCode(worried())
                .setDescription(worry.what().strip())
                .setFor(patient)
                .setFocus(new Reference("Flag/" + flagId))
                .setAuthoredOn(now)
                .setLastModified(now)
                .setRequester(worry.requester().copy());
        CareTeamClinician.of(new StoreQueries(store, parser), patient).ifPresent(task::setOwner);
        if (worry.clientKey() != null) {
            task.addIdentifier().setSystem(KEY_SYSTEM).setValue(worry.clientKey());
        }
        return task;
    }

    private static Flag flag(Worry worry, Reference patient, Date now) {
        Flag flag = new Flag()
                .setStatus(Flag.FlagStatus.ACTIVE)
                .setCode(worried().setText("Peer specialist is worried: open escalation"))
                .setSubject(patient)
                .setPeriod(new Period().setStart(now))
                .setAuthor(worry.requester().copy());
        flag.addCategory().addCoding(new Coding(FLAG_CATEGORY, "safety", "Safety"));
        return flag;
    }

    private static CodeableConcept worried() {
        return new CodeableConcept(new Coding(CRISIS_SUPPORT, WORRIED, "Peer specialist is worried"));
    }
}
