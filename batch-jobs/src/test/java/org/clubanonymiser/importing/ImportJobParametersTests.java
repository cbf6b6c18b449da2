package org.clubanonymiser.importing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportJobParametersTests {

    /** A job repository without any import yet: every file's first attempt. */
    static final java.util.function.Supplier<org.springframework.batch.core.repository.JobRepository> NO_IMPORTS =
            org.springframework.batch.core.repository.support.ResourcelessJobRepository::new;

    @TempDir
    Path dir;

    /** The first import of a file has no attempt parameter (the identity of imports made before it existed). */
    @Test
    void anAttemptIsAWholeNumberFromOneAndTheFirstIsNotNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("reviewed.xlsx"), "content");
        ImportJobParametersConverter converter = new ImportJobParametersConverter(null, NO_IMPORTS);
        ImportJobParameters.Validator validator = new ImportJobParameters.Validator();

        assertThat(converter.getJobParameters(arguments("file", file.toString(), "requestedBy", "admin"))
            .getParameter(ImportJobParameters.ATTEMPT)).isNull();
        JobParameters second = converter.getJobParameters(arguments("file", file.toString(), "requestedBy", "admin",
                "attempt", "2"));
        assertThat(second.getString(ImportJobParameters.ATTEMPT)).isEqualTo("2");
        assertThat(second.getParameter(ImportJobParameters.ATTEMPT).identifying()).isTrue();
        assertThatCode(() -> validator.validate(second)).doesNotThrowAnyException();
        for (String wrong : java.util.List.of("0", "-1", "two", "1.5")) {
            JobParameters parameters = converter.getJobParameters(arguments("file", file.toString(), "requestedBy",
                    "admin", "attempt", wrong));
            assertThatThrownBy(() -> validator.validate(parameters)).as(wrong)
                .hasMessageContaining("attempt must be a whole number from 1");
        }
    }

    static Properties arguments(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void theLauncherAddsTheFileChecksumAsAnIdentifyingParameter() throws Exception {
        Path file = Files.writeString(dir.resolve("reviewed.xlsx"), "content");

        JobParameters parameters = new ImportJobParametersConverter(null, NO_IMPORTS)
            .getJobParameters(arguments("file", file.toString(), "requestedBy", "admin"));

        assertThat(parameters.getString(ImportJobParameters.FILE_CHECKSUM))
            .isEqualTo("ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73");
        assertThat(parameters.getParameter(ImportJobParameters.FILE_CHECKSUM).identifying()).isTrue();
        JobParameters direct = ImportJobParameters.of(file, "admin");
        for (String name : java.util.List.of(ImportJobParameters.FILE, ImportJobParameters.REQUESTED_BY,
                ImportJobParameters.FILE_CHECKSUM)) {
            assertThat(parameters.getString(name)).as(name).isEqualTo(direct.getString(name));
        }
        assertThatCode(() -> new ImportJobParameters.Validator().validate(parameters)).doesNotThrowAnyException();
    }

    @Test
    void dryRunFromTheCommandLineIsIdentifyingAndMustBeABoolean() throws Exception {
        Path file = Files.writeString(dir.resolve("reviewed.xlsx"), "content");
        ImportJobParametersConverter converter = new ImportJobParametersConverter(null, NO_IMPORTS);

        JobParameters dryRun = converter.getJobParameters(arguments("file", file.toString(), "requestedBy", "admin",
                "dryRun", "true"));
        JobParameters real = converter.getJobParameters(arguments("file", file.toString(), "requestedBy", "admin"));

        assertThat(ImportJobParameters.from(dryRun).dryRun()).isTrue();
        assertThat(dryRun.getParameter(ImportJobParameters.DRY_RUN).identifying()).isTrue();
        assertThat(ImportJobParameters.from(real).dryRun()).isFalse();
        assertThat(ImportJobParameters.from(ImportJobParameters.of(file, "admin", true)).dryRun()).isTrue();
        assertThatCode(() -> new ImportJobParameters.Validator().validate(dryRun)).doesNotThrowAnyException();
        JobParameters maybe = converter.getJobParameters(arguments("file", file.toString(), "requestedBy", "admin",
                "dryRun", "maybe"));
        assertThatThrownBy(() -> new ImportJobParameters.Validator().validate(maybe))
            .hasMessageContaining("dryRun must be true or false");
    }

    @Test
    void aChangedFileIsAnotherJobInstance() throws Exception {
        Path file = Files.writeString(dir.resolve("reviewed.xlsx"), "content");
        JobParameters before = ImportJobParameters.of(file, "admin");
        Files.writeString(file, "other content");

        assertThat(ImportJobParameters.of(file, "admin").getString(ImportJobParameters.FILE_CHECKSUM))
            .isNotEqualTo(before.getString(ImportJobParameters.FILE_CHECKSUM));
    }

    @Test
    void anExplicitChecksumIsKeptAndAMissingFileGetsNone() throws Exception {
        Path file = Files.writeString(dir.resolve("reviewed.xlsx"), "content");
        String given = "a".repeat(64);
        assertThat(new ImportJobParametersConverter(null, NO_IMPORTS)
            .getJobParameters(arguments("file", file.toString(), "requestedBy", "admin", "fileChecksum", given))
            .getString(ImportJobParameters.FILE_CHECKSUM)).isEqualTo(given);

        JobParameters missing = new ImportJobParametersConverter(null, NO_IMPORTS)
            .getJobParameters(arguments("file", dir.resolve("nope.xlsx").toString(), "requestedBy", "admin"));
        assertThat(missing.getString(ImportJobParameters.FILE_CHECKSUM)).isNull();
        assertThatThrownBy(() -> new ImportJobParameters.Validator().validate(missing))
            .isInstanceOf(InvalidJobParametersException.class)
            .hasMessageContaining("no such file");
    }

    @Test
    void theValidatorNamesWhatIsMissing() {
        ImportJobParameters.Validator validator = new ImportJobParameters.Validator();
        assertThatThrownBy(() -> validator.validate(new ImportJobParametersConverter(null, NO_IMPORTS)
            .getJobParameters(arguments("requestedBy", "admin")))).hasMessageContaining("file=");
        assertThatThrownBy(() -> validator.validate(new ImportJobParametersConverter(null, NO_IMPORTS)
            .getJobParameters(arguments("file", "x.xlsx")))).hasMessageContaining("requestedBy=");
    }
}
