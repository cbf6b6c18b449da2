package org.clubanonymiser.progress;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProgressEstimateTests {

    @Test
    void theRateIsThisRunsItemsOverItsTimeAndTheEstimateWhatIsLeftAtThatRate() {
        ProgressEstimate estimate = new ProgressEstimate(340_000, 1_000_000, 340_000, Duration.ofSeconds(80));

        assertThat(estimate.rate()).isEqualTo(4_250.0);
        assertThat(estimate.remainingSeconds()).hasValueCloseTo(660_000 / 4_250.0, within(1e-9));
        assertThat(estimate.fraction()).hasValueCloseTo(0.34, within(1e-9));
        assertThat(estimate.describe("members")).isEqualTo(
                "340,000 / 1,000,000 members (34.0%), 4,250 members/s, elapsed 1m 20s, about 2m 36s left");
    }

    @Test
    void aRestartedStepCountsEarlierRunsAsDoneButNotInItsRate() {
        // 600k read before the crash, 100k in the 20 s of this run: 5,000/s, 300k left.
        ProgressEstimate estimate = new ProgressEstimate(700_000, 1_000_000, 100_000, Duration.ofSeconds(20));

        assertThat(estimate.rate()).isEqualTo(5_000.0);
        assertThat(estimate.remainingSeconds()).hasValue(60.0);
        assertThat(estimate.describe("rows")).isEqualTo(
                "700,000 / 1,000,000 rows (70.0%), 5,000 rows/s, elapsed 20s, about 1m 00s left");
    }

    @Test
    void nothingDoneYetHasNoRateAndNoEstimate() {
        ProgressEstimate estimate = new ProgressEstimate(0, 500, 0, Duration.ofSeconds(10));

        assertThat(estimate.rate()).isZero();
        assertThat(estimate.remainingSeconds()).isEmpty();
        assertThat(estimate.describe("rows")).isEqualTo(
                "0 / 500 rows (0.0%), 0 rows/s, elapsed 10s, time left unknown");
    }

    @Test
    void anUnknownTotalGivesNoPercentageAndNoEstimate() {
        ProgressEstimate estimate = new ProgressEstimate(1_200, ProgressEstimate.UNKNOWN, 1_200,
                Duration.ofSeconds(3));

        assertThat(estimate.rate()).isEqualTo(400.0);
        assertThat(estimate.fraction()).isEmpty();
        assertThat(estimate.remainingSeconds()).isEmpty();
        assertThat(estimate.describe("rows")).isEqualTo("1,200 / ? rows, 400 rows/s, elapsed 3s, time left unknown");
    }

    @Test
    void doneAtOrPastTheTotalLeavesNothing() {
        assertThat(new ProgressEstimate(10, 10, 10, Duration.ZERO).remainingSeconds()).hasValue(0.0);
        assertThat(new ProgressEstimate(12, 10, 12, Duration.ofSeconds(1)).fraction()).hasValue(1.0);
        assertThat(new ProgressEstimate(0, 0, 0, Duration.ZERO).describe("rows"))
            .isEqualTo("0 / 0 rows (100.0%), 0 rows/s, elapsed 0s, about 0s left");
    }

    @Test
    void durationsReadAsHoursMinutesAndSeconds() {
        assertThat(ProgressEstimate.duration(0)).isEqualTo("0s");
        assertThat(ProgressEstimate.duration(59)).isEqualTo("59s");
        assertThat(ProgressEstimate.duration(185)).isEqualTo("3m 05s");
        assertThat(ProgressEstimate.duration(7620)).isEqualTo("2h 07m 00s");
        assertThat(ProgressEstimate.duration(-4)).isEqualTo("0s");
    }
}
