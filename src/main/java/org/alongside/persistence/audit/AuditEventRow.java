package org.alongside.persistence.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * One audit event as stored: its facts as columns (migration V13), some of which it is searched by. Events recorded
 * before V13 hold the FHIR AuditEvent's JSON in {@code content} instead. Never updated.
 */
@Entity
// never changed: Hibernate keeps the rows it loads read-only and never dirty-checks them
@Immutable
@Table(name = "audit_event")
public class AuditEventRow {

    @Id // drawn from audit_seq by persistence.AuditInserts, which writes these rows
    @Column(name = "seq")
    private Long seq;

    @Column(name = "id", nullable = false, updatable = false)
    private String id;

    @Column(name = "recorded", nullable = false, updatable = false)
    private Instant recorded;

    /** The requesting agent's FHIR resource, if the token named one. */
    @Column(name = "agent", updatable = false)
    private String agent;

    /** Every subtype code, comma-delimited: ",read,disclosure,". */
    @Column(name = "subtype", nullable = false, updatable = false)
    private String subtype;

    @Column(name = "outcome", nullable = false, updatable = false)
    private String outcome;

    @Column(name = "request_id", updatable = false)
    private String requestId;

    /** The event's JSON, for events recorded before migration V13 only. */
    @Column(name = "content", updatable = false)
    private String content;

    @Column(name = "action", updatable = false)
    private String action;

    @Column(name = "http_status", updatable = false)
    private Integer httpStatus;

    @Column(name = "purpose", updatable = false)
    private String purpose;

    @Column(name = "agent_subject", updatable = false)
    private String agentSubject;

    @Column(name = "agent_client", updatable = false)
    private String agentClient;

    /** Comma-separated role claims. */
    @Column(name = "agent_roles", updatable = false)
    private String agentRoles;

    @Column(name = "server_work", updatable = false)
    private Boolean serverWork;

    @Column(name = "client_address", updatable = false)
    private String clientAddress;

    @Column(name = "query", updatable = false)
    private String query;

    /** One reference per line. */
    @Column(name = "refs", updatable = false)
    private String references;

    /** One patient id per line. */
    @Column(name = "patients", updatable = false)
    private String patients;

    protected AuditEventRow() {
    }

    /** The columns of one event; the caller has cut each to its column's size. */
    public AuditEventRow(String id, Instant recorded, String agent, String subtype, String outcome, String requestId,
                         String action, int httpStatus, String purpose, String agentSubject, String agentClient,
                         String agentRoles, boolean serverWork, String clientAddress, String query, String references,
                         String patients) {
        this.id = id;
        this.recorded = recorded;
        this.agent = agent;
        this.subtype = subtype;
        this.outcome = outcome;
        this.requestId = requestId;
        this.action = action;
        this.httpStatus = httpStatus;
        this.purpose = purpose;
        this.agentSubject = agentSubject;
        this.agentClient = agentClient;
        this.agentRoles = agentRoles;
        this.serverWork = serverWork;
        this.clientAddress = clientAddress;
        this.query = query;
        this.references = references;
        this.patients = patients;
    }

    public Long getSeq() {
        return seq;
    }

    public String getId() {
        return id;
    }

    public Instant getRecorded() {
        return recorded;
    }

    public String getAgent() {
        return agent;
    }

    public String getSubtype() {
        return subtype;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getRequestId() {
        return requestId;
    }

    public String getContent() {
        return content;
    }

    public String getAction() {
        return action;
    }

    public int getHttpStatus() {
        return httpStatus == null ? 0 : httpStatus;
    }

    public String getPurpose() {
        return purpose;
    }

    public String getAgentSubject() {
        return agentSubject;
    }

    public String getAgentClient() {
        return agentClient;
    }

    public String getAgentRoles() {
        return agentRoles;
    }

    public boolean isServerWork() {
        return Boolean.TRUE.equals(serverWork);
    }

    public String getClientAddress() {
        return clientAddress;
    }

    public String getQuery() {
        return query;
    }

    public String getReferences() {
        return references;
    }

    public String getPatients() {
        return patients;
    }
}
