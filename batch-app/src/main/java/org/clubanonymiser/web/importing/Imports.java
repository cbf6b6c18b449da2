package org.clubanonymiser.web.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.clubanonymiser.importing.ImportEntry;
import org.clubanonymiser.importing.ImportEntryRepository;
import org.clubanonymiser.importing.ImportJobParameters;
import org.clubanonymiser.importing.ImportJobParametersConverter;
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

    private final ImportViews views;

    private final ImportEntryRepository entries;

    private final StorageLayout storage;

    private final WebJobLauncher launcher;

    private final Job importJob;

    private final CurrentUser currentUser;

    private final ImportJobParametersConverter restartParameters;

    private final JobRepository jobRepository;

    public Imports(NamedParameterJdbcTemplate jdbc, ImportEntryRepository entries, StorageLayout storage,
            WebJobLauncher launcher, Job importJob, CurrentUser currentUser, JobRepository jobRepository) {
        this.views = new ImportViews(jdbc);
        this.entries = entries;
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
        return views.list(user, status, exportId, clubId, from, to);
    }

    public ImportView get(long id) {
        visible(id);
        Map<String, Long> byCode = new LinkedHashMap<>();
        entries.countRejectionsByCode(id).forEach(count -> byCode.put(count.code(), count.total()));
        ImportView view = views.find(id, byCode).orElseThrow();
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
        String name = entries.findById(id).map(ImportEntry::errorFile).orElse(null);
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
        if (ImportViews.isRefusal(existing.failureCode())) {
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
        entries.recordRestart(id, user.username());
        log.info("Import {} restarted by user #{}", id, user.id());
        return views.find(id, null).orElse(restarted);
    }

    private ImportView launch(JobParameters parameters, Path file) {
        WebJobLauncher.Launch launch = launcher.startForRequest(importJob, parameters, "IMPORT_COMPLETED",
                "IMPORT_RUNNING");
        long instanceId = launch.execution().getJobInstance().getInstanceId();
        // The gate step (re-run by a restart too) ties the record to this execution: wait for that, not for a
        // record of an earlier execution.
        long importId = launcher.awaitRecordForRequest(launch, () -> entries
            .findByJobInstanceIdAndJobExecutionId(instanceId, launch.execution().getId())
            .map(ImportEntry::id));
        launch.done().thenRun(() -> deleteIfRefused(importId, file));
        return views.find(importId, null).orElseThrow();
    }

    private void deleteIfRefused(long importId, Path file) {
        Optional<ImportView> ended = views.find(importId, null);
        if (ended.isPresent() && "FAILED".equals(ended.get().status())
                && ImportViews.isRefusal(ended.get().failureCode()) && file.startsWith(storage.uploadsDir())) {
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
        ImportView view = views.find(id, null).orElseThrow(() -> ApiException.notFound("import", id));
        if (view.clubId() != null) {
            currentUser.forRecordOf(view.clubId(), "import", id);
        }
        else if (!currentUser.get().username().equals(view.requestedBy())) {
            throw AccessRefusedException.hidden(Decision.FOREIGN_CLUB, "import", id);
        }
        return view;
    }
}
