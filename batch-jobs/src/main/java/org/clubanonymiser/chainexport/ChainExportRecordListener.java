package org.clubanonymiser.chainexport;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.clubanonymiser.export.ExportRecordListener;
import org.clubanonymiser.export.ExportRecords;
import org.clubanonymiser.exportrecord.ExportRecord;
import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.execution.JobParameterValues;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Ties each execution of {@code chainExportJob} to one export record per club, as {@link ExportRecordListener} does
 * for {@code exportJob}. First execution: the clubs of the requesting user are the chain, fixed from then on; each
 * gets its export record (same {@code asOf} for all: the date of this execution unless given). Restart: the records
 * of this job instance are resumed, COMPLETED ones left alone (their partitions do not run again), no club added or
 * removed. After a job that did not complete, every export of the instance still RUNNING is marked FAILED. The
 * export ids reach the steps through {@link ClubPartitioner}, not through this listener. Stateless.
 */
class ChainExportRecordListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ChainExportRecordListener.class);

    private final ExportRecords records;

    private final UserAccess userAccess;

    private final Clock clock;

    ChainExportRecordListener(ExportRecords records, UserAccess userAccess, Clock clock) {
        this.records = records;
        this.userAccess = userAccess;
        this.clock = clock;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        ChainExportJobParameters parameters = JobParameterValues.accepted(ChainExportJobParameters::from,
                jobExecution.getJobParameters());
        long instanceId = jobExecution.getJobInstance().getInstanceId();
        LocalDateTime now = LocalDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
        List<Long> clubIds = records.listByJobInstance(instanceId).stream().map(ExportRecord::clubId).toList();
        if (clubIds.isEmpty()) {
            clubIds = userAccess.find(parameters.requestedBy())
                .orElseThrow(() -> new IllegalStateException("Unknown user '" + parameters.requestedBy() + "'"))
                .clubIds()
                .stream()
                .sorted()
                .toList();
        }
        for (long clubId : clubIds) {
            records.startOrResume(instanceId, jobExecution.getId(), parameters.forClub(clubId), now);
        }
        log.info("Chain export of {} clubs running as job execution {}", clubIds.size(), jobExecution.getId());
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        if (jobExecution.getStatus() == BatchStatus.COMPLETED) {
            return;
        }
        List<ExportRecord> exports = records.listByJobInstance(jobExecution.getJobInstance().getInstanceId());
        exports.forEach(export -> records.failed(export.id()));
        log.warn("Chain export {}: relaunch the job with the same parameters to resume its unfinished clubs",
                jobExecution.getStatus());
    }
}
