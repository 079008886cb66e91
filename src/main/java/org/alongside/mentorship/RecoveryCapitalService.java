package org.alongside.mentorship;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Records a BARC-10 the peer filled in with the person: the QuestionnaireResponse and its score Observation, in one
 * transaction, both written through the {@link InteractionPipeline} as the caller (so reach, authorship, Part 2
 * labels, validation and audit apply to each). An invalid response is refused before anything is stored; an
 * identifier on the response is the client's key, so a retried submission (the app's offline outbox) stores nothing
 * twice and answers what the first one stored.
 */
@ApplicationScoped
@Transactional
public class RecoveryCapitalService {

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchRequestParser parser;

    public List<IBaseResource> record(QuestionnaireResponse response) {
        if (!RecoveryCapital.isResponse(response)) {
            throw new InvalidRequestException("$record-recovery-capital records responses to "
                    + RecoveryCapital.QUESTIONNAIRE + " only");
        }
        response.setId((String) null);
        if (!response.getMeta().hasProfile(RecoveryCapital.PROFILE_RESPONSE)) {
            response.getMeta().addProfile(RecoveryCapital.PROFILE_RESPONSE);
        }
        Optional<SearchQuery> ifNoneExist = Optional.empty();
        Identifier key = response.getIdentifier();
        if (key.hasSystem() && key.hasValue()) {
            ifNoneExist = Optional.of(parser.parse("QuestionnaireResponse",
                    Map.of("identifier", List.of(key.getSystem() + "|" + key.getValue())), null, false));
        }
        WriteResult stored = pipeline.create(response, ifNoneExist);
        String responseRef = "QuestionnaireResponse/" + stored.id();
        if (!stored.created()) {
            // a retry: the score was stored with the response, in the same transaction
            List<IBaseResource> earlier = pipeline.search(parser.parse("Observation",
                    Map.of("derived-from", List.of(responseRef)), null, false), List.of()).matches();
            return earlier.isEmpty() ? List.of(stored.resource())
                    : List.of(stored.resource(), earlier.get(0));
        }
        Observation score = RecoveryCapital.scoreObservation((QuestionnaireResponse) stored.resource(), responseRef);
        return List.of(stored.resource(), pipeline.create(score, Optional.empty()).resource());
    }
}
