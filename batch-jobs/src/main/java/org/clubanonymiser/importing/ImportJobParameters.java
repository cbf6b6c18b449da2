package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.clubanonymiser.support.execution.JobParameterValues;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The parameters of {@code importJob}, all identifying: {@code file} (path of the .xlsx), {@code requestedBy}
 * (username) and {@code fileChecksum} (SHA-256 of the file, hex), plus {@code dryRun} and {@code attempt} when given.
 * The checksum makes a different file under the same path a different job instance, and lets the gate refuse a
 * restart whose file changed ({@code FILE_CHANGED}). Ops type only {@code file=... requestedBy=...}:
 * {@link ImportJobParametersConverter} adds the checksum, and the attempt ({@link #nextAttempt}), at launch; other
 * launchers (web, tests) call {@link #of(Path, String)} (the web stores each upload under a new name, so each upload
 * is a new instance already). {@link #from} parses them for the steps, {@link Validator} with the same checks for the
 * launch.
 */
public record ImportJobParameters(Path file, String requestedBy, String fileChecksum, boolean dryRun, int attempt) {

    public static final String JOB_NAME = "importJob";

    public static final String FILE = "file";

    public static final String REQUESTED_BY = "requestedBy";

    public static final String FILE_CHECKSUM = "fileChecksum";

    /**
     * Optional, identifying, default false: {@code dryRun=true} gates, validates and re-checks every row and renders
     * the error file, but changes no member, no ledger row and not the export; its record is marked {@code dry_run}
     * and never counts as an import of the export. Identifying, so a dry run and the real import of the same file are
     * two job instances.
     */
    public static final String DRY_RUN = "dryRun";

    /**
     * Optional, identifying, a whole number from 1 (absent means 1): which import of these very bytes by this user
     * this is. An import that completed with rejected rows leaves its export importable, and the admin may import the
     * same file again (after a member came back, or to retry rows rejected as duplicates): that is a new job instance,
     * the next attempt, while a relaunch of a failed or crashed attempt is the same instance and restarts it.
     */
    public static final String ATTEMPT = "attempt";

    /** A bound on the search for the next attempt: far beyond any admin's patience, short of an endless loop. */
    private static final int MAX_ATTEMPTS = 10_000;

    private static final Pattern SHA_256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** The parameters of an import of this file by this user (reads the file once for its checksum). */
    public static JobParameters of(Path file, String requestedBy) {
        return of(file, requestedBy, false);
    }

    /** The parameters of an import, or of a dry run, of this file by this user. */
    public static JobParameters of(Path file, String requestedBy, boolean dryRun) {
        try {
            JobParametersBuilder builder = new JobParametersBuilder().addString(FILE, file.toString())
                .addString(REQUESTED_BY, requestedBy)
                .addString(FILE_CHECKSUM, sha256(file));
            if (dryRun) {
                builder.addString(DRY_RUN, "true");
            }
            return builder.toJobParameters();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }

    /**
     * These parameters, with the attempt a launch should run: the given one when these parameters name it, else the
     * first attempt whose job instance does not exist yet or can be restarted (none of its executions COMPLETED or
     * ABANDONED, which Spring Batch refuses to run again). So the same command after a crash or a failure restarts its
     * instance, and after a completed import starts the next attempt. Two launches racing for the same new attempt
     * name the same instance: the execution claims let one of them run.
     */
    public static JobParameters nextAttempt(JobRepository jobRepository, JobParameters parameters) {
        if (parameters.getParameter(ATTEMPT) != null) {
            return parameters;
        }
        JobParameters candidate = parameters;
        for (int attempt = 2; isComplete(jobRepository.getJobInstance(JOB_NAME, candidate), jobRepository);
                attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException("More than " + MAX_ATTEMPTS + " completed imports of this file");
            }
            candidate = new JobParametersBuilder(parameters).addString(ATTEMPT, Integer.toString(attempt))
                .toJobParameters();
        }
        return candidate;
    }

    private static boolean isComplete(JobInstance instance, JobRepository jobRepository) {
        return instance != null && jobRepository.getJobExecutions(instance).stream()
            .anyMatch(execution -> execution.getStatus() == BatchStatus.COMPLETED
                    || execution.getStatus() == BatchStatus.ABANDONED);
    }

    /** SHA-256 of a file's bytes, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by the JVM spec", ex);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Parses and checks the parameters, in the order of {@link Validator}'s messages. The file is not looked at: at
     * launch the validator requires it, on a restart the gate refuses a file that is gone or changed with its own
     * code.
     *
     * @throws InvalidJobParametersException with one message saying what is wrong
     */
    static ImportJobParameters from(JobParameters parameters) throws InvalidJobParametersException {
        return parse(parameters, false);
    }

    private static ImportJobParameters parse(JobParameters parameters, boolean fileMustExist)
            throws InvalidJobParametersException {
        String file = JobParameterValues.text(parameters, FILE);
        if (file == null || file.isBlank()) {
            throw new InvalidJobParametersException("importJob needs file=<path of the .xlsx to import>, or"
                    + " importId=<id of an existing import> to restart it");
        }
        String requestedBy = JobParameterValues.text(parameters, REQUESTED_BY);
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new InvalidJobParametersException("importJob needs requestedBy=<username>");
        }
        if (fileMustExist && !Files.isRegularFile(Path.of(file))) {
            throw new InvalidJobParametersException("importJob: no such file: " + file);
        }
        String checksum = JobParameterValues.text(parameters, FILE_CHECKSUM);
        if (checksum == null || !SHA_256.matcher(checksum).matches()) {
            throw new InvalidJobParametersException("importJob needs fileChecksum=<SHA-256 of the file, hex>:"
                    + " the application adds it when launched with file=... requestedBy=...");
        }
        String attempt = JobParameterValues.text(parameters, ATTEMPT);
        if (attempt != null && !attempt.strip().matches("[1-9]\\d{0,8}")) {
            throw new InvalidJobParametersException("importJob: attempt must be a whole number from 1");
        }
        String dryRun = JobParameterValues.text(parameters, DRY_RUN);
        if (dryRun != null && !dryRun.strip().matches("(?i)true|false")) {
            throw new InvalidJobParametersException("importJob: dryRun must be true or false");
        }
        return new ImportJobParameters(Path.of(file), requestedBy, checksum,
                dryRun != null && Boolean.parseBoolean(dryRun.strip()),
                attempt == null ? 1 : Integer.parseInt(attempt.strip()));
    }

    /** Refuses a launch before any instance is created: nothing is recorded, nothing changed. */
    record Validator() implements JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            parse(parameters, true);
        }
    }
}
