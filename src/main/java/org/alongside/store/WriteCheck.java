package org.alongside.store;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A rule every resource must pass before it is stored, whichever way it arrives (REST, operation, bundle).
 * A check may complete server-computed elements (e.g. billing units) and refuses a resource by throwing a
 * HAPI server exception with a 4xx status (422 for a rule, 400 for malformed input).
 */
public interface WriteCheck {

    void check(IBaseResource resource);
}
