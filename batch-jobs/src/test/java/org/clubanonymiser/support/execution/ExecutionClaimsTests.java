package org.clubanonymiser.support.execution;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.clubanonymiser.support.execution.ExecutionRecovery.ExecutionStillRunningException;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The race Spring Batch 6 leaves open, replayed step by step on the repository: two launchers both found no running
 * execution and both create one for the same instance. The second is refused and withdrawn; once the first ends, a
 * new execution (the restart) may claim the instance; a claim left by a crashed execution is taken over once that
 * execution is marked FAILED (the lease-based recovery does that).
 */
class ExecutionClaimsTests {

    abstract static class Contract {

        @Autowired
        JobRepository jobRepository;

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void aSecondExecutionOfARunningInstanceIsRefusedAndWithdrawn() {
            JobParameters parameters = new JobParametersBuilder().addString("claim", "race-" + System.nanoTime())
                .toJobParameters();
            JobInstance instance = jobRepository.createJobInstance("claimTestJob", parameters);
            JobExecution first = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());

            assertThatExceptionOfType(ExecutionStillRunningException.class)
                .isThrownBy(() -> jobRepository.createJobExecution(instance, parameters, new ExecutionContext()))
                .withMessageContaining("refusing to start it a second time");
            assertThat(executionIds(instance)).containsExactly(first.getId());
            assertThat(claimHolder(instance)).isEqualTo(first.getId());

            // The first one fails (or is recovered after a crash): its claim goes, and a restart may run.
            first.setStatus(BatchStatus.FAILED);
            jobRepository.update(first);
            assertThat(jdbc.queryForObject("select count(*) from job_instance_run where job_instance_id = ?",
                    Long.class, instance.getInstanceId())).isZero();
            JobExecution restart = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
            assertThat(claimHolder(instance)).isEqualTo(restart.getId());
        }

        @Test
        void aClaimLeftByADeadExecutionIsTakenOverOnceItIsNoLongerRunning() {
            JobParameters parameters = new JobParametersBuilder().addString("claim", "crash-" + System.nanoTime())
                .toJobParameters();
            JobInstance instance = jobRepository.createJobInstance("claimTestJob", parameters);
            JobExecution crashed = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
            // A crash leaves the execution STARTED and its claim behind; the recovery marks it FAILED behind the
            // repository's back (as an operator's SQL would): the claim is stale, not released.
            jdbc.update("update batch_job_execution set status = 'FAILED' where job_execution_id = ?",
                    crashed.getId());
            assertThat(claimHolder(instance)).isEqualTo(crashed.getId());

            JobExecution restart = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());

            assertThat(claimHolder(instance)).isEqualTo(restart.getId());
        }

        java.util.List<Long> executionIds(JobInstance instance) {
            return jdbc.queryForList("select job_execution_id from batch_job_execution where job_instance_id = ?",
                    Long.class, instance.getInstanceId());
        }

        long claimHolder(JobInstance instance) {
            return jdbc.queryForObject("select job_execution_id from job_instance_run where job_instance_id = ?",
                    Long.class, instance.getInstanceId());
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Contract {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {
    }
}
