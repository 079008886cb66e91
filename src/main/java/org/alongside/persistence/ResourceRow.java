package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** The current state of one logical resource. */
@Entity
@Table(name = "res")
public class ResourceRow {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "res_seq")
    @SequenceGenerator(name = "res_seq", sequenceName = "res_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "res_type", nullable = false)
    private String type;

    @Column(name = "res_id", nullable = false)
    private String resourceId;

    @Column(name = "version_id", nullable = false)
    private long versionId;

    @Column(name = "last_updated", nullable = false)
    private Instant lastUpdated;

    @Column(name = "deleted", nullable = false)
    private boolean deleted;

    @Column(name = "content")
    private String content;

    protected ResourceRow() {
    }

    public ResourceRow(String type, String resourceId) {
        this.type = type;
        this.resourceId = resourceId;
    }

    void setCurrent(long versionId, Instant lastUpdated, boolean deleted, String content) {
        this.versionId = versionId;
        this.lastUpdated = lastUpdated;
        this.deleted = deleted;
        this.content = content;
    }

    public Long getPk() {
        return pk;
    }

    public String getType() {
        return type;
    }

    public String getResourceId() {
        return resourceId;
    }

    public long getVersionId() {
        return versionId;
    }

    public Instant getLastUpdated() {
        return lastUpdated;
    }

    public boolean isDeleted() {
        return deleted;
    }

    public String getContent() {
        return content;
    }
}
