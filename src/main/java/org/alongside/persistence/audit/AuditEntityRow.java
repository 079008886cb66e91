package org.alongside.persistence.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A reference an audit event touched (the accounting of disclosures looks events up by patient). Read only here. */
@Entity
// never changed: Hibernate keeps the rows it loads read-only and never dirty-checks them
@Immutable
@Table(name = "audit_entity")
public class AuditEntityRow {

    @Id // drawn from audit_entity_seq by persistence.AuditInserts, which writes these rows
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
}
