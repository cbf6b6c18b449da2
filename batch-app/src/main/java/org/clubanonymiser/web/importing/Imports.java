package org.clubanonymiser.web.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.clubanonymiser.importing.ImportJobParameters;
import org.clubanonymiser.importing.ImportJobParametersConverter;
import org.clubanonymiser.importing.ImportRefusal;
import org.clubanonymiser.support.UserAccess.AppUser;
import org.clubanonymiser.support.UserAccess.Decision;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.web.AccessRefusedException;
import org.clubanonymiser.web.ApiException;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.clubanonymiser.web.security.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * The web's imports: upload (stored as {@code uploads/upload-<uuid>.xlsx}, never under the client's name or path,
 * then {@code importJob} launched asynchronously, or a dry run), list, show, error file, restart. An import is
 * visible to users of its club, or, while its club is unknown (a file refused before its export was identified), to
 * the user who uploaded it. The file's own club is checked by the job's gate ({@code FOREIGN_CLUB}, with
 * {@code UserAccess}, before any member is touched): the web does not parse workbooks a second time. A refused
 * upload is deleted once its import has ended (it is a copy of names, and cannot be imported anyway); a completed
 * one is deleted by the job itself.
 */
public class Imports {

    private static final Logger log = LoggerFactory.getLogger(Imports.class);

    private static final String SELECT = """
            select i.id, i.export_id, i.club_id, c.code as club_code, i.file_name, i.requested_by, i.restarted_by,
                i.dry_run, i.status, i.failure_code, i.rows_read, i.members_anonymised, i.rows_rejected,
                i.rows_already_anonymised, i.error_file,
                i.job_execution_id, i.created_at, i.completed_at, e.row_count, e.status as export_status,
                e.file_deleted_at as export_file_deleted_at
            from anonymisation_import i
                left join club c on c.id = i.club_id
                left join anonymisation_export e on e.id = i.export_id""";

    private static final Set<String> REFUSALS = Set.copyOf(
            Arrays.stream(ImportRefusal.values()).map(Enum::name).toList());

    private final NamedParameterJdbcTemplate jdbc;

    private final StorageLayout storage;

    private final WebJobLauncher launcher;

    private final Job importJob;

    private final CurrentUser currentUser;

    private final ImportJobParametersConverter restartParameters;

    private final JobRepository jobRepository;

    public Imports(NamedParameterJdbcTemplate jdbc, StorageLayout storage, WebJobLauncher launcher, Job importJob,
            CurrentUser currentUser, JobRepository jobRepository) {
        this.jdbc = jdbc;
        this.storage = storage;
        this.launcher = launcher;
        this.importJob = importJob;
        this.currentUser = currentUser;
        JdbcTemplate plain = jdbc.getJdbcTemplate();
        this.restartParameters = new ImportJobParametersConverter(plain, () -> jobRepository);
        this.jobRepository = jobRepository;
    }

    /** Stores the upload under a generated name and launches its import (or dry run). */
    public ImportView upload(MultipartFile file, boolean dryRun) {
        AppUser user = currentUser.get();
        if (file == null || file.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "FILE_REQUIRED");
        }
        // Created 0600 by StorageLayout, then filled: never replaced, so it never exists with wider permissions.
        Path stored = storage.newUpload();
        try (InputStream in = file.getInputStream();
                OutputStream out = Files.newOutputStream(stored, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot store an upload", ex);
        }
        return launch(ImportJobParameters.of(stored, user.username(), dryRun), stored);
    }

    /** Imports visible to the user, newest first. */
    public List<ImportView> list(String status, Long exportId, Long clubId, LocalDate from, LocalDate to) {
        AppUser user = clubId == null ? currentUser.get() : currentUser.forClub(clubId);
        StringBuilder sql = new StringBuilder(SELECT).append(
                " where (i.club_id in (:clubs) or (i.club_id is null and i.requested_by = :user))");
        MapSqlParameterSource parameters = new MapSqlParameterSource("clubs", clubsOrNone(user))
            .addValue("user", user.username());
        if (status != null && !status.isBlank()) {
            sql.append(" and i.status = :status");
            parameters.addValue("status", status.strip());
        }
        if (exportId != null) {
            sql.append(" and i.export_id = :exportId");
            parameters.addValue("exportId", exportId);
        }
        if (clubId != null) {
            sql.append(" and i.club_id = :clubId");
            parameters.addValue("clubId", clubId);
        }
        if (from != null) {
            sql.append(" and i.created_at >= :from");
            parameters.addValue("from", Timestamp.valueOf(from.atStartOfDay()));
        }
        if (to != null) {
            sql.append(" and i.created_at < :to");
            parameters.addValue("to", Timestamp.valueOf(to.plusDays(1).atStartOfDay()));
        }
        sql.append(" order by i.created_at desc, i.id desc");
        return jdbc.query(sql.toString(), parameters, (rs, n) -> map(rs, null));
    }

    public ImportView get(long id) {
        visible(id);
        Map<String, Long> byCode = new LinkedHashMap<>();
        jdbc.query("""
                select code, count(*) as n from anonymisation_import_rejection where import_id = :id
                group by code order by code""", new MapSqlParameterSource("id", id),
                rs -> {
                    byCode.put(rs.getString("code"), rs.getLong("n"));
                });
        ImportView view = find(id, byCode).orElseThrow();
        return view.withSummary(summary(view));
    }

    /**
     * What the job said when the import ended: the exit description of its last execution, for a completed import
     * only (a failed job's description is a stack trace, for the log, not the page; its reason is the failure code).
     */
    private String summary(ImportView view) {
        if (!view.status().startsWith("COMPLETED") || view.jobExecutionId() == null) {
            return null;
        }
        JobExecution execution = jobRepository.getJobExecution(view.jobExecutionId());
        String description = execution == null ? null : execution.getExitStatus().getExitDescription();
        return description == null || description.isBlank() ? null : description.strip();
    }

    /** The error file of an import that rejected rows. */
    public Path errorFile(long id) {
        visible(id);
        String name = jdbc.queryForObject("select error_file from anonymisation_import where id = :id",
                new MapSqlParameterSource("id", id), String.class);
        Path file = name == null ? null : storage.errorsDir().resolve(Path.of(name).getFileName().toString());
        if (file == null || !Files.isRegularFile(file)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NO_ERROR_FILE", id);
        }
        return file;
    }

    /**
     * Restarts a failed import where it stopped (its last committed chunk), with its original parameters: it stays
     * requested by its uploader (the ledger's {@code requested_by}), and the restarting user is recorded on the
     * import ({@code restarted_by}, {@code restarted_at}: the last restart) and logged by id.
     */
    public ImportView restart(long id) {
        AppUser user = currentUser.get();
        ImportView existing = visible(id);
        if (!"FAILED".equals(existing.status())) {
            throw new ApiException(HttpStatus.CONFLICT, "NOT_RESTARTABLE", id);
        }
        if (existing.failureCode() != null && REFUSALS.contains(existing.failureCode())) {
            throw new ApiException(HttpStatus.CONFLICT, "REFUSED_NOT_RESTARTABLE", id);
        }
        Properties properties = new Properties();
        properties.setProperty(ImportJobParametersConverter.IMPORT_ID, Long.toString(id));
        JobParameters parameters = restartParameters.getJobParameters(properties);
        String file = parameters.getString(ImportJobParameters.FILE);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new ApiException(HttpStatus.CONFLICT, "UPLOAD_GONE", id);
        }
        ImportView restarted = launch(parameters, Path.of(file));
        jdbc.update("update anonymisation_import set restarted_by = :user, restarted_at = current_timestamp"
                + " where id = :id", new MapSqlParameterSource("user", user.username()).addValue("id", id));
        log.info("Import {} restarted by user #{}", id, user.id());
        return find(id, null).orElse(restarted);
    }

    private ImportView launch(JobParameters parameters, Path file) {
        WebJobLauncher.Launch launch = launcher.startForRequest(importJob, parameters, "IMPORT_COMPLETED",
                "IMPORT_RUNNING");
        long instanceId = launch.execution().getJobInstance().getInstanceId();
        // The gate step (re-run by a restart too) ties the record to this execution: wait for that, not for a
        // record of an earlier execution.
        MapSqlParameterSource byExecution = new MapSqlParameterSource("instance", instanceId)
            .addValue("execution", launch.execution().getId());
        long importId = launcher.awaitRecordForRequest(launch, () -> jdbc
            .queryForList("""
                    select id from anonymisation_import
                    where job_instance_id = :instance and job_execution_id = :execution""", byExecution, Long.class)
            .stream()
            .findFirst());
        launch.done().thenRun(() -> deleteIfRefused(importId, file));
        return find(importId, null).orElseThrow();
    }

    private void deleteIfRefused(long importId, Path file) {
        Optional<ImportView> ended = find(importId, null);
        if (ended.isPresent() && "FAILED".equals(ended.get().status()) && ended.get().failureCode() != null
                && REFUSALS.contains(ended.get().failureCode()) && file.startsWith(storage.uploadsDir())) {
            try {
                Files.deleteIfExists(file);
                log.info("Import {} refused ({}): its upload was deleted", importId, ended.get().failureCode());
            }
            catch (IOException ex) {
                log.warn("Import {}: the refused upload could not be deleted: {}", importId, ex.getMessage());
            }
        }
    }

    private ImportView visible(long id) {
        ImportView view = find(id, null).orElseThrow(() -> ApiException.notFound("import", id));
        if (view.clubId() != null) {
            currentUser.forRecordOf(view.clubId(), "import", id);
        }
        else if (!currentUser.get().username().equals(view.requestedBy())) {
            throw AccessRefusedException.hidden(Decision.FOREIGN_CLUB, "import", id);
        }
        return view;
    }

    private Optional<ImportView> find(long id, Map<String, Long> byCode) {
        return jdbc.query(SELECT + " where i.id = :id", new MapSqlParameterSource("id", id),
                (rs, n) -> map(rs, byCode)).stream().findFirst();
    }

    private ImportView map(ResultSet rs, Map<String, Long> byCode) throws SQLException {
        String status = rs.getString("status");
        String failureCode = rs.getString("failure_code");
        long rowsRead = rs.getLong("rows_read");
        long rowCount = rs.getLong("row_count");
        boolean knownRowCount = !rs.wasNull();
        Integer progress = status.startsWith("COMPLETED") ? Integer.valueOf(100)
                : knownRowCount && rowCount > 0 ? Integer.valueOf((int) Math.min(99, rowsRead * 100 / rowCount))
                : null;
        String errorFile = rs.getString("error_file");
        Timestamp completed = rs.getTimestamp("completed_at");
        // A corrected file can go to the same export while it can still be imported (the import's gate decides).
        boolean correctable = "COMPLETED_WITH_ERRORS".equals(status) && "COMPLETED".equals(rs.getString("export_status"))
                && rs.getTimestamp("export_file_deleted_at") == null;
        return new ImportView(rs.getLong("id"), (Long) rs.getObject("export_id", Long.class),
                (Long) rs.getObject("club_id", Long.class), rs.getString("club_code"), rs.getString("file_name"),
                rs.getString("requested_by"), rs.getString("restarted_by"), rs.getBoolean("dry_run"), status,
                failureCode, rowsRead, rs.getLong("members_anonymised"), rs.getLong("rows_rejected"),
                rs.getLong("rows_already_anonymised"), progress, errorFile != null,
                "FAILED".equals(status) && (failureCode == null || !REFUSALS.contains(failureCode)),
                rs.getTimestamp("created_at").toLocalDateTime(), completed == null ? null : completed.toLocalDateTime(),
                byCode, correctable, null, (Long) rs.getObject("job_execution_id", Long.class));
    }

    private static List<Long> clubsOrNone(AppUser user) {
        // "in ()" is not SQL: a user without clubs matches no club id.
        return user.clubIds().isEmpty() ? List.of(-1L) : List.copyOf(user.clubIds());
    }
}
