package org.alongside.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.alongside.sync.export.ExportFile;
import org.alongside.sync.export.ExportJob;
import org.alongside.sync.export.ExportJobs;
import org.alongside.sync.export.ExportLevel;
import org.alongside.sync.export.ExportRequest;

/**
 * {@link ExportJobs} on the {@code export_job} and {@code export_file} tables. Claims lock the chosen row with
 * {@code FOR UPDATE SKIP LOCKED} (PostgreSQL, and H2 2.x), so concurrent claimers on several instances each get a
 * different job instead of queueing on one; later writes of a worker are conditional on its attempt number.
 */
@ApplicationScoped
@Transactional
public class JpaExportJobs implements ExportJobs {

    private static final String RUNNING = ExportJob.State.RUNNING.name();

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Override
    public void create(ExportJob job) {
        ExportJobRow row = new ExportJobRow();
        row.id = job.id();
        row.state = job.state().name();
        row.level = job.request().level().name();
        row.types = String.join(",", job.request().types());
        row.since = job.request().since();
        row.requestUrl = job.request().requestUrl();
        row.requester = job.requester();
        row.transactionTime = job.transactionTime();
        row.notBefore = job.notBefore();
        row.writeMark = job.writeMark();
        row.createdAt = job.createdAt();
        row.attempt = job.attempt();
        row.progress = job.progress();
        em.persist(row);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ExportJob> find(String id) {
        ExportJobRow row = em.find(ExportJobRow.class, id);
        return row == null ? Optional.empty() : Optional.of(toJob(row, files(id)));
    }

    @Override
    public Optional<ExportJob> claimNext(String owner, Instant now, Instant staleBefore) {
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("SELECT job_id FROM export_job"
                        + " WHERE (state = 'QUEUED' AND not_before <= ?1) OR (state = 'RUNNING' AND heartbeat_at < ?2)"
                        + " ORDER BY created_at FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")
                .setParameter(1, now).setParameter(2, staleBefore).getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        ExportJobRow row = em.find(ExportJobRow.class, ids.get(0).toString());
        row.state = RUNNING;
        row.owner = owner;
        row.heartbeatAt = now;
        row.attempt++;
        row.progress = "started";
        return Optional.of(toJob(row, List.of()));
    }

    @Override
    public boolean heartbeat(String id, int attempt, String progress, Instant now) {
        return em.createQuery("UPDATE ExportJobRow j SET j.heartbeatAt = :now, j.progress = :progress"
                        + " WHERE j.id = :id AND j.attempt = :attempt AND j.state = :running")
                .setParameter("now", now).setParameter("progress", progress).setParameter("id", id)
                .setParameter("attempt", attempt).setParameter("running", RUNNING).executeUpdate() == 1;
    }

    @Override
    public boolean complete(String id, int attempt, List<ExportFile> files, Instant now) {
        if (!finish(id, attempt, ExportJob.State.COMPLETED, "completed", null, now)) {
            return false;
        }
        int seq = 0;
        for (ExportFile file : files) {
            em.createNativeQuery("INSERT INTO export_file (job_id, file_name, res_type, resource_count, seq)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, id).setParameter(2, file.name()).setParameter(3, file.type())
                    .setParameter(4, file.count()).setParameter(5, seq++).executeUpdate();
        }
        return true;
    }

    @Override
    public boolean fail(String id, int attempt, String errorText, Instant now) {
        return finish(id, attempt, ExportJob.State.FAILED, "failed", errorText, now);
    }

    @Override
    public boolean delete(String id) {
        em.createNativeQuery("DELETE FROM export_file WHERE job_id = ?1").setParameter(1, id).executeUpdate();
        return em.createQuery("DELETE FROM ExportJobRow j WHERE j.id = :id").setParameter("id", id)
                .executeUpdate() == 1;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> finishedBefore(Instant cutoff) {
        return em.createQuery("SELECT j.id FROM ExportJobRow j WHERE j.state IN :states AND j.finishedAt < :cutoff",
                        String.class)
                .setParameter("states", List.of(ExportJob.State.COMPLETED.name(), ExportJob.State.FAILED.name()))
                .setParameter("cutoff", cutoff).getResultList();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> existing(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.createQuery("SELECT j.id FROM ExportJobRow j WHERE j.id IN :ids", String.class)
                .setParameter("ids", ids).getResultList();
    }

    private boolean finish(String id, int attempt, ExportJob.State state, String progress, String errorText,
                           Instant now) {
        return em.createQuery("UPDATE ExportJobRow j SET j.state = :state, j.progress = :progress,"
                        + " j.errorText = :error, j.finishedAt = :now, j.heartbeatAt = :now"
                        + " WHERE j.id = :id AND j.attempt = :attempt AND j.state = :running")
                .setParameter("state", state.name()).setParameter("progress", progress)
                .setParameter("error", errorText).setParameter("now", now).setParameter("id", id)
                .setParameter("attempt", attempt).setParameter("running", RUNNING).executeUpdate() == 1;
    }

    private List<ExportFile> files(String id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT file_name, res_type, resource_count FROM export_file"
                + " WHERE job_id = ?1 ORDER BY seq").setParameter(1, id).getResultList();
        List<ExportFile> files = new ArrayList<>();
        for (Object[] row : rows) {
            files.add(new ExportFile(row[0].toString(), row[1].toString(), ((Number) row[2]).longValue()));
        }
        return files;
    }

    private static ExportJob toJob(ExportJobRow row, List<ExportFile> files) {
        ExportRequest request = new ExportRequest(ExportLevel.valueOf(row.level),
                Arrays.asList(row.types.split(",")), row.since, row.requestUrl);
        return new ExportJob(row.id, row.requester, ExportJob.State.valueOf(row.state), request, row.transactionTime,
                row.notBefore, row.writeMark, row.createdAt, row.owner, row.heartbeatAt, row.attempt, row.progress, row.finishedAt,
                row.errorText, files);
    }
}
