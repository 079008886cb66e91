package org.alongside.persistence.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** One audit event as stored: the FHIR AuditEvent's JSON plus the columns it is searched by. Never updated. */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "audit_event")
public class AuditEventRow {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_seq")
    @SequenceGenerator(name = "audit_seq", sequenceName = "audit_seq", allocationSize = 50)
    @Column(name = "seq")
    private Long seq;

    @Column(name = "id", nullable = false, updatable = false)
    private String id;

    @Column(name = "recorded", nullable = false, updatable = false)
    private Instant recorded;

    @Column(name = "agent", updatable = false)
    private String agent;

    @Column(name = "subtype", nullable = false, updatable = false)
    private String subtype;

    @Column(name = "outcome", nullable = false, updatable = false)
    private String outcome;

    @Column(name = "request_id", updatable = false)
    private String requestId;

    @Column(name = "content", nullable = false, updatable = false)
    private String content;

    protected AuditEventRow() {
    }

    public AuditEventRow(String id, Instant recorded, String agent, String subtype, String outcome, String requestId,
                         String content) {
        this.id = id;
        this.recorded = recorded;
        this.agent = agent;
        this.subtype = subtype;
        this.outcome = outcome;
        this.requestId = requestId;
        this.content = content;
    }

    public Long getSeq() {
        return seq;
    }

    public String getContent() {
        return content;
    }
}
