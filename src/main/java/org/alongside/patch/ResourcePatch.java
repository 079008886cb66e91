package org.alongside.patch;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A patch a client sent, checked for its shape when it was read (400 for a malformed patch) and applied later to the
 * record as it is stored. Applying works on the resource given and hands back the patched resource; a patch that does
 * not fit the record (a path that is not there, a failed test, an element of the wrong type) is refused with 422
 * before anything is written.
 */
public interface ResourcePatch {

    IBaseResource applyTo(IBaseResource current);
}
