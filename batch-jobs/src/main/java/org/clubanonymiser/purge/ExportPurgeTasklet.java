package org.clubanonymiser.purge;

import java.time.LocalDateTime;

import org.clubanonymiser.export.ExportFiles;
import org.clubanonymiser.exportrecord.ExportProperties;
import org.clubanonymiser.support.storage.FailedUploadPurge;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * {@code exportPurgeJob}'s one step, as of the job's {@code asOf}: {@link ExportFiles#purgeExpired(LocalDateTime)},
 * then the uploads of failed imports older than the same retention ({@link FailedUploadPurge}). The write count is
 * the number of exports purged plus the number of uploads deleted.
 */
class ExportPurgeTasklet implements Tasklet {

    private final ExportFiles files;

    private final FailedUploadPurge failedUploads;

    private final ExportProperties properties;

    private final LocalDateTime asOf;

    ExportPurgeTasklet(ExportFiles files, FailedUploadPurge failedUploads, ExportProperties properties,
            LocalDateTime asOf) {
        this.files = files;
        this.failedUploads = failedUploads;
        this.properties = properties;
        this.asOf = asOf;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        contribution.incrementWriteCount(files.purgeExpired(asOf));
        contribution.incrementWriteCount(failedUploads.purgeCreatedBefore(asOf.minus(properties.retention())));
        return RepeatStatus.FINISHED;
    }
}
