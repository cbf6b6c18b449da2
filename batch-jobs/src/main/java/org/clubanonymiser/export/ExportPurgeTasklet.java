package org.clubanonymiser.export;

import java.time.LocalDateTime;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** {@code exportPurgeJob}'s one step: {@link ExportFiles#purgeExpired(LocalDateTime)} as of the job's {@code asOf}. */
class ExportPurgeTasklet implements Tasklet {

    private final ExportFiles files;

    private final LocalDateTime asOf;

    ExportPurgeTasklet(ExportFiles files, LocalDateTime asOf) {
        this.files = files;
        this.asOf = asOf;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        contribution.incrementWriteCount(files.purgeExpired(asOf));
        return RepeatStatus.FINISHED;
    }
}
