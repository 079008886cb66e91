package org.alongside.persistence.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A reference an audit event touched (the accounting of disclosures looks events up by patient). */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "audit_entity")
public class AuditEntityRow {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_entity_seq")
    @SequenceGenerator(name = "audit_entity_seq", sequenceName = "audit_entity_seq", allocationSize = 50)
    @Column(name = "pk")
    private Long pk;

    @Column(name = "audit_seq", nullable = false, updatable = false)
    private Long auditSeq;

    @Column(name = "reference", nullable = false, updatable = false)
    private String reference;

    @Column(name = "is_patient", nullable = false, updatable = false)
    private boolean patient;

    protected AuditEntityRow() {
    }

    public AuditEntityRow(Long auditSeq, String reference, boolean patient) {
        this.auditSeq = auditSeq;
        this.reference = reference;
        this.patient = patient;
    }
}
