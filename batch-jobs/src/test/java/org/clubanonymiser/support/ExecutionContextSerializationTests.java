package org.clubanonymiser.support;

import java.time.LocalDateTime;

import org.clubanonymiser.testsupport.H2Database;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Execution contexts are stored as JSON, never Java-serialised, and keep their value types across a restart. */
@H2Database
class ExecutionContextSerializationTests {

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void storesJsonAndRestoresTypes() {
        JobParameters parameters = new JobParametersBuilder().addString("key", "json").toJobParameters();
        JobExecution execution = jobRepository.createJobExecution(
                jobRepository.createJobInstance("serializationTestJob", parameters), parameters,
                new ExecutionContext());
        StepExecution step = jobRepository.createStepExecution("serializationTestStep", execution);
        step.getExecutionContext().putLong("reader.read.count", 1234L);
        step.getExecutionContext().putInt("writer.chunks", 7);
        step.getExecutionContext().put("export.asOf", LocalDateTime.of(2026, 11, 29, 0, 0).toLocalDate());
        step.setStartTime(LocalDateTime.now());
        jobRepository.updateExecutionContext(step);

        String stored = jdbc.queryForObject(
                "select short_context from batch_step_execution_context where step_execution_id = ?", String.class,
                step.getId());
        assertThat(stored).startsWith("{").contains("\"reader.read.count\"").doesNotContain("rO0");

        ExecutionContext restored = jobRepository.getStepExecution(step.getId()).getExecutionContext();
        assertThat(restored.getLong("reader.read.count")).isEqualTo(1234L);
        assertThat(restored.getInt("writer.chunks")).isEqualTo(7);
        assertThat(restored.get("export.asOf")).isEqualTo(LocalDateTime.of(2026, 11, 29, 0, 0).toLocalDate());
    }
}
