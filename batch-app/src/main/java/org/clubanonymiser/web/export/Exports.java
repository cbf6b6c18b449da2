package org.clubanonymiser.web.export;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.export.ExportFiles;
import org.clubanonymiser.export.ExportFilter;
import org.clubanonymiser.export.ExportParameters;
import org.clubanonymiser.export.ExportRecords;
import org.clubanonymiser.export.ReviewedExport;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.support.UserAccess.AppUser;
import org.clubanonymiser.support.UserAccess.Decision;
import org.clubanonymiser.web.AccessRefusedException;
import org.clubanonymiser.web.ApiException;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.http.HttpStatus;

/**
 * The web's exports: create (launches {@code exportJob} asynchronously), list, show, download, delete, each for the
 * signed-in user's clubs only, checked before anything is read or launched. The rules are the jobs' own: the export
 * job's validator (run by the launch guard in the request thread), {@link ExportFiles} for the file's life.
 */
public class Exports {

    /** A new export as the form or the API gives it; {@code clubId} may be omitted by a single-club user. */
    public record NewExport(String name, Long clubId, Integer inactivityMonths) {
    }

    private final ExportRecords records;

    private final ExportFiles files;

    private final WebJobLauncher launcher;

    private final Job exportJob;

    private final CurrentUser currentUser;

    public Exports(ExportRecords records, ExportFiles files, WebJobLauncher launcher, Job exportJob,
            CurrentUser currentUser) {
        this.records = records;
        this.files = files;
        this.launcher = launcher;
        this.exportJob = exportJob;
        this.currentUser = currentUser;
    }

    public ExportView create(NewExport request) {
        AppUser user = currentUser.get();
        long clubId = clubOf(request, user);
        user = currentUser.forClub(clubId);
        int months = request.inactivityMonths() == null ? InactivityPeriod.DEFAULT_MONTHS
                : request.inactivityMonths();
        if (!InactivityPeriod.isAllowed(months)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_MONTHS", months);
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "NAME_REQUIRED");
        }
        if (name.length() > ExportParameters.MAX_NAME_LENGTH) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "NAME_TOO_LONG", ExportParameters.MAX_NAME_LENGTH);
        }
        JobParameters parameters = new JobParametersBuilder().addLong(ExportParameters.CLUB_ID, clubId)
            .addLong(ExportParameters.INACTIVITY_MONTHS, (long) months)
            .addString(ExportParameters.EXPORT_NAME, name)
            .addString(ExportParameters.REQUESTED_BY, user.username())
            .toJobParameters();
        WebJobLauncher.Launch launch = launcher.startForRequest(exportJob, parameters, "EXPORT_EXISTS",
                "EXPORT_RUNNING");
        long instanceId = launch.execution().getJobInstance().getInstanceId();
        ExportRecord export = launcher.awaitRecordForRequest(launch, () -> records.findByJobInstance(instanceId));
        return get(export.id());
    }

    /** Exports matching the filter among the user's clubs, newest first. */
    public List<ExportView> list(String name, Long clubId, ExportStatus status, LocalDate from, LocalDate to) {
        AppUser user = clubId == null ? currentUser.get() : currentUser.forClub(clubId);
        return records.listReviewed(new ExportFilter(name, clubId, status, from, to))
            .stream()
            .filter(listed -> user.clubIds().contains(listed.export().clubId()))
            .map(this::view)
            .toList();
    }

    public ExportView get(long id) {
        visible(id);
        return view(records.findReviewed(id).orElseThrow(() -> ApiException.notFound("export", id)));
    }

    /** The zip of a completed export, while it exists and its retention has not ended (never past it). */
    public Path file(long id) {
        ExportRecord export = visible(id);
        return files.file(export.id())
            .orElseThrow(() -> files.expired(export) ? new ApiException(HttpStatus.CONFLICT, "EXPORT_EXPIRED", id)
                    : new ApiException(HttpStatus.CONFLICT, "EXPORT_FILE_UNAVAILABLE", id));
    }

    public ExportView delete(long id) {
        ExportRecord export = visible(id);
        if (export.status() == ExportStatus.RUNNING) {
            throw new ApiException(HttpStatus.CONFLICT, "EXPORT_RUNNING");
        }
        files.delete(export.id());
        return get(id);
    }

    private ExportRecord visible(long id) {
        ExportRecord export = records.find(id).orElseThrow(() -> ApiException.notFound("export", id));
        currentUser.forRecordOf(export.clubId(), "export", id);
        return export;
    }

    private long clubOf(NewExport request, AppUser user) {
        if (request.clubId() != null) {
            return request.clubId();
        }
        if (user.clubIds().size() == 1) {
            return user.clubIds().iterator().next();
        }
        if (user.clubIds().isEmpty()) {
            throw new AccessRefusedException(Decision.FOREIGN_CLUB);
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "CLUB_REQUIRED");
    }

    private ExportView view(ReviewedExport listed) {
        ExportRecord export = listed.export();
        Long clubMembers = null;
        if (export.status() == ExportStatus.RUNNING) {
            // Only while running (few at a time).
            clubMembers = records.clubMembers(export.id());
        }
        // As ExportFiles.file(id) decides (retention included), from the record at hand: no query per listed export.
        return ExportView.of(export, listed.resolution(), clubMembers, files.downloadable(export),
                files.expired(export));
    }
}
