package org.clubanonymiser.importing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.springframework.batch.core.converter.DefaultJobParametersConverter;
import org.springframework.batch.core.converter.JobParametersConverter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Converts command-line job parameters the default way, then adds {@code fileChecksum} (identifying) when a
 * {@code file} is given without one: so {@code file=... requestedBy=...} is enough to launch an import, and the same
 * command relaunched over the same, unchanged file finds the same job instance and restarts its failed execution.
 * Used by the application's launcher for {@code importJob} only. A missing file gets no checksum: the job's validator
 * then refuses the launch with a clear message.
 */
public class ImportJobParametersConverter implements JobParametersConverter {

    private final DefaultJobParametersConverter delegate = new DefaultJobParametersConverter();

    @Override
    public JobParameters getJobParameters(Properties properties) {
        JobParameters parameters = delegate.getJobParameters(properties);
        String file = parameters.getString(ImportJobParameters.FILE);
        if (file == null || parameters.getString(ImportJobParameters.FILE_CHECKSUM) != null
                || !Files.isRegularFile(Path.of(file))) {
            return parameters;
        }
        try {
            return new JobParametersBuilder(parameters)
                .addString(ImportJobParameters.FILE_CHECKSUM, ImportJobParameters.sha256(Path.of(file)))
                .toJobParameters();
        }
        catch (IOException ex) {
            return parameters;
        }
    }

    @Override
    public Properties getProperties(JobParameters parameters) {
        return delegate.getProperties(parameters);
    }
}
