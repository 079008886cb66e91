-- CDS Hooks referral suggestions (docs/ehr-integration.md): what a suggestion offered, kept until the EHR reports
-- it accepted (feedback) or it expires, so that any instance can carry out the assignment it stands for. A
-- suggestion is accepted once, by the EHR client it was made for.
CREATE TABLE cds_suggestion (
    suggestion_id VARCHAR(36) NOT NULL PRIMARY KEY,
    issuer VARCHAR(1000) NOT NULL,
    client_id VARCHAR(300) NOT NULL,
    care_plan_id VARCHAR(64) NOT NULL,
    peer_ref VARCHAR(300) NOT NULL,
    assigner_ref VARCHAR(300) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    accepted_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX cds_suggestion_expiry ON cds_suggestion (expires_at);
