package org.clubanonymiser.importing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import org.springframework.batch.core.converter.DefaultJobParametersConverter;
import org.springframework.batch.core.converter.JobParametersConverter;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Converts command-line job parameters the default way, then adds {@code fileChecksum} (identifying) when a
 * {@code file} is given without one, and the {@code attempt} ({@link ImportJobParameters#nextAttempt}): so
 * {@code file=... requestedBy=...} is enough to launch an import; the same command relaunched over the same, unchanged
 * file finds the same job instance and restarts its failed execution, and once that import completed, launches the
 * next import of the same file (a new instance) instead of failing as "already complete".
 * Used by the application's launcher for {@code importJob} only. A missing file gets no checksum: the job's validator
 * then refuses the launch with a clear message.
 * <p>
 * Restart by id: {@code importId=<id>} alone stands for the parameters of that import's job instance (file,
 * requestedBy, fileChecksum, read from the job repository), so {@code --spring.batch.job.name=importJob importId=42}
 * restarts import 42 — from a shell or as Data Flow task arguments — without retyping its file path.
 */
public class ImportJobParametersConverter implements JobParametersConverter {

    /** The parameter that names an existing import to restart. */
    public static final String IMPORT_ID = "importId";

    private final DefaultJobParametersConverter delegate = new DefaultJobParametersConverter();

    private final JdbcTemplate jdbc;

    private final Supplier<JobRepository> jobRepository;

    /**
     * @param jobRepository looked up at conversion time (a restart by id, the attempt of a file): the job
     *                      repository's own configuration takes this converter, so it cannot be a constructor
     *                      dependency
     */
    public ImportJobParametersConverter(JdbcTemplate jdbc, Supplier<JobRepository> jobRepository) {
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
    }

    @Override
    public JobParameters getJobParameters(Properties properties) {
        JobParameters parameters = delegate.getJobParameters(properties);
        String importId = parameters.getString(IMPORT_ID);
        if (importId != null && parameters.getString(ImportJobParameters.FILE) == null) {
            return parametersOfImport(importId.trim()).orElse(parameters);
        }
        String file = parameters.getString(ImportJobParameters.FILE);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            return parameters;
        }
        if (parameters.getString(ImportJobParameters.FILE_CHECKSUM) == null) {
            try {
                parameters = new JobParametersBuilder(parameters)
                    .addString(ImportJobParameters.FILE_CHECKSUM, ImportJobParameters.sha256(Path.of(file)))
                    .toJobParameters();
            }
            catch (IOException ex) {
                return parameters;
            }
        }
        return ImportJobParameters.nextAttempt(jobRepository.get(), parameters);
    }

    /** The identifying parameters of the job instance that ran this import, if there is one. */
    private Optional<JobParameters> parametersOfImport(String importId) {
        if (!importId.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return jdbc.queryForList("select job_instance_id from anonymisation_import where id = ?", Long.class,
                Long.parseLong(importId))
            .stream()
            .filter(Objects::nonNull)
            .map(jobRepository.get()::getJobInstance)
            .filter(Objects::nonNull)
            .map(jobRepository.get()::getLastJobExecution)
            .filter(Objects::nonNull)
            .map(execution -> {
                JobParametersBuilder identifying = new JobParametersBuilder();
                execution.getJobParameters().parameters().stream()
                    .filter(JobParameter::identifying)
                    .forEach(identifying::addJobParameter);
                return identifying.toJobParameters();
            })
            .findFirst();
    }

    @Override
    public Properties getProperties(JobParameters parameters) {
        return delegate.getProperties(parameters);
    }
}
