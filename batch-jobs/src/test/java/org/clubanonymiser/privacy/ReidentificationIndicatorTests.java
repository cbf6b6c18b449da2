package org.clubanonymiser.privacy;

import org.junit.jupiter.api.Test;

import org.clubanonymiser.anonymisation.CreationDatePrecision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReidentificationIndicatorTests {

    @Test
    void kIsTheSmallestGroupHoldingOneOfTheReportsMembers() {
        ReidentificationIndicator indicator = new ReidentificationIndicator.Builder(CreationDatePrecision.MONTH, 5)
            .group(7, 3)
            .group(4, 4)
            // A group of the club without any of the report's members is someone else's: ignored.
            .group(1, 0)
            .group(60, 10)
            .group(2, 1)
            .build();

        assertThat(indicator.k()).isEqualTo(2);
        assertThat(indicator.members()).isEqualTo(18);
        assertThat(indicator.groups()).isEqualTo(4);
        assertThat(indicator.smallGroups()).isEqualTo(2);
        assertThat(indicator.membersInSmallGroups()).isEqualTo(5);
        assertThat(indicator.distribution()).containsEntry("1", 0L).containsEntry("2-4", 2L).containsEntry("5-9", 1L)
            .containsEntry("10-49", 0L).containsEntry("50+", 1L);
        assertThat(indicator.precision()).isEqualTo(CreationDatePrecision.MONTH);
    }

    @Test
    void aMemberAloneInItsGroupIsKOne() {
        ReidentificationIndicator indicator = new ReidentificationIndicator.Builder(CreationDatePrecision.EXACT, 5)
            .group(1, 1).group(12, 12).build();

        assertThat(indicator.k()).isEqualTo(1);
        assertThat(indicator.distribution()).containsEntry("1", 1L).containsEntry("10-49", 1L);
    }

    @Test
    void theSmallGroupThresholdIsConfigurable() {
        ReidentificationIndicator indicator = new ReidentificationIndicator.Builder(CreationDatePrecision.YEAR, 10)
            .group(9, 9).group(10, 10).build();

        assertThat(indicator.smallGroups()).isEqualTo(1);
        assertThat(indicator.membersInSmallGroups()).isEqualTo(9);
        assertThat(indicator.smallGroupSize()).isEqualTo(10);
    }

    @Test
    void noMemberNoGroupAndKZero() {
        ReidentificationIndicator indicator = new ReidentificationIndicator.Builder(CreationDatePrecision.DAY, 5)
            .build();

        assertThat(indicator.k()).isZero();
        assertThat(indicator.groups()).isZero();
        assertThat(indicator.distribution().values()).containsOnly(0L);
    }

    @Test
    void aGroupCannotHoldMoreReportMembersThanMembers() {
        var builder = new ReidentificationIndicator.Builder(CreationDatePrecision.DAY, 5);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.group(2, 3));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.group(2, -1));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new ReidentificationIndicator.Builder(CreationDatePrecision.DAY, 1));
    }
}
