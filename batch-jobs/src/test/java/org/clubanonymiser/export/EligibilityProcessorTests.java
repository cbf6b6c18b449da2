package org.clubanonymiser.export;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The export's processor on members whose activity the reader read or left unread: the rules judge both, and a member
 * left unread although the standing passes fails instead of being judged without activity. No transaction here, so
 * the outcome counters move at once.
 */
class EligibilityProcessorTests {

    private static final InactivityPeriod PERIOD = new InactivityPeriod(LocalDate.of(2026, 11, 29), 36);

    private static final LocalDateTime LONG_AGO = LocalDateTime.of(2019, 5, 4, 10, 0);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final EligibilityProcessor processor = new EligibilityProcessor(new EligibilityRules(), PERIOD, 7,
            registry);

    private static MemberActivityRow row(String status, LocalDateTime lastVisit, boolean activityRead) {
        return new MemberActivityRow(new MemberActivity(42, status, LONG_AGO, null, BigDecimal.ZERO, lastVisit, null,
                null, null, null), activityRead, "M-42", "Last", "First");
    }

    private double count(String outcome) {
        return registry.get(EligibilityProcessor.METRIC).tag("club", "7").tag("outcome", outcome).counter().count();
    }

    @Test
    void anEligibleMemberWhoseActivityWasReadBecomesAManifestRow() {
        ExportedRow exported = processor.process(row("PROSPECT", LocalDateTime.of(2021, 3, 2, 9, 0), true));

        assertThat(exported).isNotNull();
        assertThat(exported.memberId()).isEqualTo(42);
        assertThat(exported.lastActivity()).isEqualTo(LocalDate.of(2021, 3, 2));
        assertThat(exported.lastActivityKind()).isEqualTo("VISIT");
        assertThat(count(EligibilityProcessor.ELIGIBLE)).isEqualTo(1);
    }

    @Test
    void aClientWhoseActivityWasLeftUnreadIsFilteredAndCountedAsAClient() {
        assertThat(processor.process(row("CLIENT", null, false))).isNull();

        assertThat(count("CLIENT")).isEqualTo(1);
        assertThat(count(EligibilityProcessor.ELIGIBLE)).isZero();
    }

    @Test
    void aRecentlyActiveMemberIsCountedByTheActivityThatFailed() {
        assertThat(processor.process(row("FORMER_CLIENT", LocalDateTime.of(2025, 1, 1, 8, 0), true))).isNull();

        assertThat(count("RECENT_VISIT")).isEqualTo(1);
    }

    @Test
    void aMemberLeftUnreadWhoseStandingPassesFailsWithTheIdOnly() {
        assertThatIllegalStateException().isThrownBy(() -> processor.process(row("PROSPECT", null, false)))
            .withMessageContaining("Member 42")
            .withMessageNotContaining("Last")
            .withMessageNotContaining("M-42");

        assertThat(count(EligibilityProcessor.ELIGIBLE)).isZero();
    }
}
