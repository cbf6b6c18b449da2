package org.clubanonymiser.progress;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gauges per job and step: partitions of one step summed, tags limited to the job and step names, the last run's
 * figures kept once it ends and replaced when the step runs again. A fake clock, no thread timing.
 */
class StepProgressMonitorTests {

    final AtomicLong nanos = new AtomicLong();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    final StepProgressMonitor monitor = new StepProgressMonitor(Duration.ofHours(1), registry, nanos::get);

    @AfterEach
    void close() {
        monitor.destroy();
    }

    @Test
    void partitionsOfOneStepAreSummedUnderTheJobAndStepNamesOnly() {
        JobExecution job = new JobExecution(7, new JobInstance(3, "chainExportJob"), new JobParameters());
        StepExecution club1 = new StepExecution(11, "exportManifestStep:club-1", job);
        StepExecution club2 = new StepExecution(12, "exportManifestStep:club-2", job);

        monitor.start(club1, "members", 0).total(100);
        // club 2 resumes after 40 members read by an earlier run
        monitor.start(club2, "members", 40).total(200);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        monitor.of(club1).done(50);
        monitor.of(club2).done(30);

        assertThat(gauge("done")).isEqualTo(50 + 70);
        assertThat(gauge("expected")).isEqualTo(300);
        assertThat(gauge("rate")).isEqualTo(5 + 3);
        assertThat(gauge("elapsed")).isEqualTo(10);
        assertThat(gauge("remaining")).isEqualTo(180 / 8.0);
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
            .extracting(tag -> tag.getKey())
            .containsExactlyInAnyOrder("job.name", "step.name"));
        assertThat(registry.find("anonymiser.progress.done").gauges()).hasSize(1);
    }

    @Test
    void aPartitionThatEndedBeforeTheNextStartedStillCounts() {
        JobExecution job = new JobExecution(7, new JobInstance(3, "chainExportJob"), new JobParameters());
        StepExecution club1 = new StepExecution(11, "exportManifestStep:club-1", job);
        StepExecution club2 = new StepExecution(12, "exportManifestStep:club-2", job);
        monitor.start(club1, "members", 0).total(30);
        monitor.of(club1).done(30);
        club1.setStatus(BatchStatus.COMPLETED);
        monitor.finish(club1);

        monitor.start(club2, "members", 0).total(5);
        monitor.of(club2).done(2);

        assertThat(gauge("done")).isEqualTo(32);
        assertThat(gauge("expected")).isEqualTo(35);
    }

    @Test
    void theLastRunsFiguresStayUntilTheStepRunsAgain() {
        JobExecution first = new JobExecution(7, new JobInstance(3, "importJob"), new JobParameters());
        StepExecution step = new StepExecution(11, "importAnonymiseStep", first);
        monitor.start(step, "rows", 0).total(20);
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        monitor.of(step).done(20);
        step.setStatus(BatchStatus.COMPLETED);
        monitor.finish(step);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());

        assertThat(gauge("importJob", "importAnonymiseStep", "done")).isEqualTo(20);
        assertThat(gauge("importJob", "importAnonymiseStep", "elapsed")).isEqualTo(4);
        assertThat(gauge("importJob", "importAnonymiseStep", "rate")).isEqualTo(5);
        assertThat(gauge("importJob", "importAnonymiseStep", "remaining")).isZero();

        JobExecution second = new JobExecution(8, new JobInstance(4, "importJob"), new JobParameters());
        StepExecution again = new StepExecution(12, "importAnonymiseStep", second);
        monitor.start(again, "rows", 0);

        assertThat(gauge("importJob", "importAnonymiseStep", "done")).isZero();
        assertThat(gauge("importJob", "importAnonymiseStep", "expected")).isNaN();
        assertThat(gauge("importJob", "importAnonymiseStep", "remaining")).isNaN();
    }

    @Test
    void aRestartedChunkStepStartsFromItsReadersSavedPosition() {
        JobExecution job = new JobExecution(9, new JobInstance(3, "exportJob"), new JobParameters());
        StepExecution restarted = new StepExecution(21, "exportManifestStep", job);
        // What the framework's reader saved (putInt), as the job repository gives it back.
        restarted.getExecutionContext().putInt("exportMemberReader.read.count", 400);
        StepProgressListener listener = monitor.listener("members", "exportMemberReader", step -> 1000);

        listener.beforeStep(restarted);
        monitor.of(restarted).done(100);

        assertThat(gauge("exportJob", "exportManifestStep", "done")).isEqualTo(500);
        assertThat(gauge("exportJob", "exportManifestStep", "expected")).isEqualTo(1000);
    }

    @Test
    void outsideAWatchedStepProgressGoesNowhere() {
        StepProgress none = monitor.current();
        none.add(5);
        none.total(9);

        assertThat(none).isSameAs(StepProgress.NONE);
        assertThat(none.estimate().done()).isZero();
        assertThat(none.estimate().total()).isEqualTo(ProgressEstimate.UNKNOWN);
    }

    private double gauge(String name) {
        return gauge("chainExportJob", "exportManifestStep", name);
    }

    private double gauge(String job, String step, String name) {
        return registry.get("anonymiser.progress." + name).tag("job.name", job).tag("step.name", step).gauge().value();
    }
}
