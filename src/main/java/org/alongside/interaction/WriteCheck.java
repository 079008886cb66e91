package org.alongside.interaction;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A rule every resource must pass before it is stored, whichever way it arrives (REST, operation, Bundle): run by
 * the {@link InteractionPipeline} after the access checks. A check may complete server-computed elements (e.g.
 * billing units) and refuses a resource by throwing a HAPI server exception with a 4xx status (422 for a rule,
 * 400 for malformed input, 403 for who may write it).
 */
public interface WriteCheck {

    void check(IBaseResource resource);

    /** The checks in the order they run, declared once in code (the application's wiring provides it). */
    interface Order {
        List<WriteCheck> checks();
    }
}
