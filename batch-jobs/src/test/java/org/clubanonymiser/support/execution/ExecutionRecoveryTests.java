package org.clubanonymiser.support.execution;

import java.sql.Timestamp;
import java.time.LocalDateTime;

import org.clubanonymiser.support.execution.ExecutionRecovery.ExecutionStillRunningException;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A STARTED execution is recovered only when its process is really dead (silent for longer than the lease). */
class ExecutionRecoveryTests {

    abstract static class Contract {

        @Autowired
        JobRepository jobRepository;

        @Autowired
        ExecutionRecovery recovery;

        @Autowired
        ExecutionHeartbeat heartbeat;

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void recoversAnExecutionSilentForLongerThanTheLease() {
            JobParameters parameters = parameters("dead");
            JobExecution execution = startedExecution(parameters);
            makeSilentSince(execution, LocalDateTime.now().minusMinutes(10));

            assertThat(recovery.recoverIfDead("recoveryTestJob", parameters)).contains(execution.getId());

            JobExecution recovered = jobRepository.getJobExecution(execution.getId());
            assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(recovered.getStepExecutions()).allSatisfy(
                    step -> assertThat(step.getStatus()).isEqualTo(BatchStatus.FAILED));
        }

        @Test
        void refusesWhileTheHeartbeatIsFresh() {
            JobParameters parameters = parameters("alive");
            JobExecution execution = startedExecution(parameters);
            makeSilentSince(execution, LocalDateTime.now().minusMinutes(10));
            heartbeat.beat(execution.getId());

            assertThatExceptionOfType(ExecutionStillRunningException.class)
                .isThrownBy(() -> recovery.recoverIfDead("recoveryTestJob", parameters))
                .withMessageContaining("still running");
            assertThat(jobRepository.getJobExecution(execution.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
        }

        @Test
        void refusesWhileAStepWasUpdatedWithinTheLease() {
            JobParameters parameters = parameters("busy");
            JobExecution execution = startedExecution(parameters);
            makeSilentSince(execution, LocalDateTime.now().minusMinutes(10));
            jdbc.update("update batch_step_execution set last_updated = ? where job_execution_id = ?",
                    Timestamp.valueOf(LocalDateTime.now().minusSeconds(5)), execution.getId());

            assertThatExceptionOfType(ExecutionStillRunningException.class)
                .isThrownBy(() -> recovery.recoverIfDead("recoveryTestJob", parameters));
        }

        @Test
        void leavesFinishedExecutionsAndNewInstancesAlone() {
            assertThat(recovery.recoverIfDead("recoveryTestJob", parameters("never-run"))).isEmpty();

            JobParameters parameters = parameters("failed");
            JobExecution execution = startedExecution(parameters);
            execution.setStatus(BatchStatus.FAILED);
            execution.setEndTime(LocalDateTime.now());
            jobRepository.update(execution);
            assertThat(recovery.recoverIfDead("recoveryTestJob", parameters)).isEmpty();
        }

        private static JobParameters parameters(String key) {
            return new JobParametersBuilder().addString("key", key).toJobParameters();
        }

        private JobExecution startedExecution(JobParameters parameters) {
            JobInstance instance = jobRepository.createJobInstance("recoveryTestJob", parameters);
            JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
            execution.setStartTime(LocalDateTime.now());
            execution.setStatus(BatchStatus.STARTED);
            jobRepository.update(execution);
            StepExecution step = jobRepository.createStepExecution("recoveryTestStep", execution);
            step.setStatus(BatchStatus.STARTED);
            step.setStartTime(LocalDateTime.now());
            jobRepository.update(step);
            return execution;
        }

        private void makeSilentSince(JobExecution execution, LocalDateTime when) {
            Timestamp then = Timestamp.valueOf(when);
            jdbc.update("update batch_job_execution set create_time = ?, start_time = ?, last_updated = ?"
                    + " where job_execution_id = ?", then, then, then, execution.getId());
            jdbc.update("update batch_step_execution set create_time = ?, start_time = ?, last_updated = ?"
                    + " where job_execution_id = ?", then, then, then, execution.getId());
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {
    }
}
