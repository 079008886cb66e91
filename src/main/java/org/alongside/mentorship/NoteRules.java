package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.HCPCS;
import static org.alongside.mentorship.MentorshipCodes.PEER_SERVICES;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Procedure;

/**
 * A peer session note (Procedure coded H0038) written in a structured format (extension note-format: DAP or GIRP)
 * must have each of its headed sections, however it is written: by $record-peer-session, a plain create, or the
 * update of a note a supervisor returned. A free note is checked by its profile alone. An Organization's choice
 * (the same extension) must name a format: no profile applies to an Organization to check its binding.
 */
@ApplicationScoped
public class NoteRules implements WriteCheck {

    @Override
    public void check(IBaseResource resource) {
        if (resource instanceof Organization clinic) {
            formatOf(clinic.getExtensionByUrl(MentorshipCodes.EXT_NOTE_FORMAT)); // a clinic's choice must be a format
            return;
        }
        if (!(resource instanceof Procedure note) || !note.getCode().hasCoding(HCPCS, PEER_SERVICES)
                || note.getStatus() == Procedure.ProcedureStatus.ENTEREDINERROR) {
            return;
        }
        NoteFormat format = formatOf(note);
        if (!format.structured()) {
            return;
        }
        String text = note.getNote().stream().map(Annotation::getText).filter(t -> t != null)
                .reduce((a, b) -> a + "\n" + b).orElse("");
        List<String> missing = format.missing(text);
        if (!missing.isEmpty()) {
            throw Refusals.unprocessable("note-incomplete", "A " + format.code().toUpperCase(java.util.Locale.ROOT)
                    + " note needs each section in Procedure.note, each starting a line with its heading and a colon;"
                    + " missing or empty: " + String.join(", ", missing));
        }
    }

    /** The note's format: its note-format extension, free text without one. */
    static NoteFormat formatOf(Procedure note) {
        return formatOf(note.getExtensionByUrl(MentorshipCodes.EXT_NOTE_FORMAT));
    }

    private static NoteFormat formatOf(Extension ext) {
        if (ext == null || ext.getValue() == null) {
            return NoteFormat.FREE;
        }
        try {
            return NoteFormat.of(ext.getValue().primitiveValue());
        } catch (RuntimeException unknown) {
            throw new UnprocessableEntityException("Extension note-format must be free, dap or girp");
        }
    }
}
