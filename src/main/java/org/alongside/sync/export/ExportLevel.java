package org.alongside.sync.export;

/** Which resources an export covers. */
public enum ExportLevel {
    /** {@code GET [base]/$export}: every resource of the requested types. */
    SYSTEM,
    /** {@code GET [base]/Patient/$export}: Patients and the resources in their Patient compartment. */
    PATIENT
}
