package org.clubanonymiser.importing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.RowFingerprint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowValidatorTests {

    static final long EXPORT = 7;

    static final long CLUB = 1;

    static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);

    static final ImportContext CONTEXT = new ImportContext(3, EXPORT, CLUB, new InactivityPeriod(AS_OF, 36),
            AS_OF.minusMonths(36), "admin");

    static final LocalDateTime OLD = LocalDateTime.of(2019, 5, 4, 10, 0);

    final Map<Long, RowValidator.MemberFacts> members = new HashMap<>();

    final Map<Long, Long> claims = new HashMap<>();

    final RowValidator validator = new RowValidator(CONTEXT, new RowValidator.Facts() {

        @Override
        public OptionalLong firstRowNaming(long memberId) {
            Long row = claims.get(memberId);
            return row == null ? OptionalLong.empty() : OptionalLong.of(row);
        }

        @Override
        public Optional<RowValidator.MemberFacts> member(long memberId) {
            return Optional.ofNullable(members.get(memberId));
        }
    }, new EligibilityRules());

    static MemberActivity activity(long id, String status, BigDecimal balance, LocalDateTime lastVisit) {
        return new MemberActivity(id, status, LocalDateTime.of(2015, 1, 1, 0, 0), null, balance, lastVisit, null, null,
                null, null);
    }

    /** An exported, eligible member 101 and the row the export wrote for it. */
    UploadedRow exported() {
        ExportedRow row = new ExportedRow(101, "M101", "Durand", "Anne", "FORMER_CLIENT", OLD.toLocalDate(), "VISIT",
                85);
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101",
                activity(101, "FORMER_CLIENT", BigDecimal.ZERO, OLD), true, RowFingerprint.of(EXPORT, row)));
        claims.put(101L, 2L);
        return new UploadedRow(2, "101", "M101", "Durand", "Anne", "FORMER_CLIENT", "2019-05-04", "VISIT", "85");
    }

    static UploadedRow with(UploadedRow row, int column, String value) {
        String[] v = { row.memberId(), row.memberNumber(), row.lastName(), row.firstName(), row.status(),
                row.lastActivity(), row.lastActivityKind(), row.monthsInactive() };
        v[column] = value;
        return new UploadedRow(row.rowNumber(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    RowRejection rejection(UploadedRow row) {
        try {
            validator.process(row);
        }
        catch (RowRejectedException ex) {
            assertThat(ex.rowNumber()).isEqualTo(row.rowNumber());
            assertThat(ex.getMessage()).doesNotContain("Durand", "Anne");
            return ex.code();
        }
        return null;
    }

    @Test
    void acceptsTheExportedRowAsIs() {
        assertThat(validator.process(exported())).isEqualTo(new ValidatedRow(2, 101, "M101"));
    }

    @Test
    void acceptsNumbersTypedAsTextAndTheReverse() {
        UploadedRow row = exported();
        assertThat(validator.process(with(row, 0, " 101.0 "))).isEqualTo(new ValidatedRow(2, 101, "M101"));
        assertThat(validator.process(with(row, 7, "85.0"))).isNotNull();
    }

    /** Its cached values are the exported ones, but the admin saw what the formulas compute. */
    @Test
    void rejectsARowHoldingAFormulaAsModified() {
        UploadedRow row = exported();
        UploadedRow withFormula = new UploadedRow(row.rowNumber(), row.memberId(), row.memberNumber(), row.lastName(),
                row.firstName(), row.status(), row.lastActivity(), row.lastActivityKind(), row.monthsInactive(), true);
        assertThat(rejection(withFormula)).isEqualTo(RowRejection.CONTENT_MODIFIED);
    }

    @Test
    void rejectsAnEmptyIdOrNumber() {
        UploadedRow row = exported();
        assertThat(rejection(with(row, 0, null))).isEqualTo(RowRejection.MISSING_ID);
        assertThat(rejection(with(row, 0, "  "))).isEqualTo(RowRejection.MISSING_ID);
        assertThat(rejection(with(row, 1, null))).isEqualTo(RowRejection.MISSING_ID);
    }

    @Test
    void rejectsAnIdThatIsNotAWholeNumberAsUnknown() {
        UploadedRow row = exported();
        assertThat(rejection(with(row, 0, "abc"))).isEqualTo(RowRejection.UNKNOWN_MEMBER);
        assertThat(rejection(with(row, 0, "101.5"))).isEqualTo(RowRejection.UNKNOWN_MEMBER);
    }

    @Test
    void rejectsALaterRowNamingTheSameMember() {
        UploadedRow row = exported();
        UploadedRow later = new UploadedRow(9, row.memberId(), row.memberNumber(), row.lastName(), row.firstName(),
                row.status(), row.lastActivity(), row.lastActivityKind(), row.monthsInactive());
        assertThat(rejection(later)).isEqualTo(RowRejection.DUPLICATE_ROW);
        assertThat(rejection(row)).isNull();
    }

    @Test
    void rejectsAnUnknownMember() {
        assertThat(rejection(with(exported(), 0, "555"))).isEqualTo(RowRejection.UNKNOWN_MEMBER);
    }

    @Test
    void rejectsANumberOfAnotherMember() {
        assertThat(rejection(with(exported(), 1, "M102"))).isEqualTo(RowRejection.ID_NUMBER_MISMATCH);
    }

    @Test
    void rejectsAMemberOfAnotherClubBeforeAskingTheManifest() {
        UploadedRow row = exported();
        members.put(101L, new RowValidator.MemberFacts(2, "M101", members.get(101L).activity(), false, null));
        assertThat(rejection(row)).isEqualTo(RowRejection.OTHER_CLUB);
    }

    @Test
    void rejectsAMemberNotInTheExport() {
        UploadedRow row = exported();
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101", members.get(101L).activity(), false, null));
        assertThat(rejection(row)).isEqualTo(RowRejection.NOT_IN_EXPORT);
    }

    @Test
    void rejectsAnyEditedValue() {
        UploadedRow row = exported();
        assertThat(rejection(with(row, 2, "Durant"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 3, "Anne "))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 4, "PROSPECT"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 5, "2019-05-05"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 5, "04/05/2019"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 5, null))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 6, "BOOKING"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 7, "86"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
        assertThat(rejection(with(row, 7, "lots"))).isEqualTo(RowRejection.CONTENT_MODIFIED);
    }

    /** An earlier import of the export kept the member (its row was not in that file): a later file cannot add it. */
    @Test
    void rejectsARowOfAMemberAnEarlierImportKeptAsNotInTheExport() {
        UploadedRow row = exported();
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101", members.get(101L).activity(), true, null));
        assertThatThrownBy(() -> validator.process(row)).isInstanceOfSatisfying(RowRejectedException.class, ex -> {
            assertThat(ex.code()).isEqualTo(RowRejection.NOT_IN_EXPORT);
            assertThat(ex.humanMessage()).isEqualTo(RowValidator.KEPT_BY_AN_EARLIER_IMPORT);
        });
    }

    /** ... or found them no longer eligible: that is still the reason, whatever the erased manifest. */
    @Test
    void rejectsARowOfAMemberAnEarlierImportFoundIneligibleWithTheReason() {
        UploadedRow row = exported();
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101",
                activity(101, "CLIENT", BigDecimal.ZERO, OLD), true, null));
        assertThat(rejection(row)).isEqualTo(RowRejection.NO_LONGER_ELIGIBLE);
    }

    /** Not a rejection: the row goes on to the writer, flagged, and is reported ALREADY_ANONYMISED there. */
    @Test
    void passesARowOfAnAnonymisedMemberOnFlaggedEvenWhenItsManifestWasErasedOrTheRowEdited() {
        MemberActivity anonymised = new MemberActivity(101, "ANONYMISED", LocalDateTime.of(2015, 1, 1, 0, 0),
                LocalDateTime.of(2026, 1, 1, 0, 0), BigDecimal.ZERO, OLD, null, null, null, null);
        UploadedRow row = exported();
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101", anonymised, true, null));
        assertThat(validator.process(row)).isEqualTo(new ValidatedRow(2, 101, "M101", true));
        assertThat(validator.process(with(row, 2, "Edited"))).isEqualTo(new ValidatedRow(2, 101, "M101", true));
    }

    @Test
    void rejectsAMemberWhoIsNoLongerEligibleWithTheReason() {
        UploadedRow row = exported();
        String fingerprint = members.get(101L).fingerprint();
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101",
                activity(101, "FORMER_CLIENT", BigDecimal.ZERO, LocalDateTime.of(2026, 6, 1, 9, 0)), true,
                fingerprint));
        assertThatThrownBy(() -> validator.process(row)).isInstanceOfSatisfying(RowRejectedException.class,
                ex -> assertThat(ex.humanMessage()).contains("visited the club since the cutoff"));
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101",
                activity(101, "CLIENT", BigDecimal.ZERO, OLD), true, fingerprint));
        assertThat(rejection(row)).isEqualTo(RowRejection.NO_LONGER_ELIGIBLE);
        members.put(101L, new RowValidator.MemberFacts(CLUB, "M101",
                activity(101, "FORMER_CLIENT", new BigDecimal("-0.01"), OLD), true, fingerprint));
        assertThat(rejection(row)).isEqualTo(RowRejection.NO_LONGER_ELIGIBLE);
    }

    @Test
    void checksInTheDocumentedOrder() {
        // Unknown number AND edited AND duplicate: the duplicate wins; then the mismatch before the edit.
        UploadedRow row = with(with(exported(), 1, "M999"), 2, "Edited");
        UploadedRow later = new UploadedRow(5, row.memberId(), row.memberNumber(), row.lastName(), row.firstName(),
                row.status(), row.lastActivity(), row.lastActivityKind(), row.monthsInactive());
        assertThat(rejection(later)).isEqualTo(RowRejection.DUPLICATE_ROW);
        assertThat(rejection(row)).isEqualTo(RowRejection.ID_NUMBER_MISMATCH);
    }

    @Test
    void aRejectionNeverNamesThePerson() {
        RowRejectedException ex = new RowRejectedException(RowRejection.CONTENT_MODIFIED, 4, 101L, "M101");
        assertThat(ex.getMessage()).isEqualTo("Row 4 rejected: CONTENT_MODIFIED (member id 101)");
        assertThat(exported().toString()).isEqualTo("UploadedRow[rowNumber=2]");
    }
}
