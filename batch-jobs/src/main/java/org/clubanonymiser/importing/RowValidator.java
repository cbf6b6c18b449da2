package org.clubanonymiser.importing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.clubanonymiser.eligibility.Eligibility;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.RowFingerprint;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Judges one uploaded row against the database and the export's manifest (SPEC §4): returns what the anonymising
 * writer needs, or throws the skippable {@link RowRejectedException}. Checks, first failure wins:
 * <ol>
 * <li>{@code MISSING_ID}: member id or member number empty;</li>
 * <li>{@code UNKNOWN_MEMBER} when the id is not a whole number;</li>
 * <li>{@code DUPLICATE_ROW}: an earlier row of the file named the same member id (claims are recorded per chunk by
 * {@link ChunkFacts}, before the chunk is processed, so this holds within a chunk and across restarts);</li>
 * <li>{@code UNKNOWN_MEMBER}: no member has the id;</li>
 * <li>{@code ID_NUMBER_MISMATCH}: the member number is not that member's;</li>
 * <li>{@code OTHER_CLUB}: the member is not of the export's club;</li>
 * <li>{@code NOT_IN_EXPORT}: the member is not in the export's manifest (row added by hand);</li>
 * <li>already anonymised (before the fingerprint: an earlier import of the same export may have anonymised the
 * member and erased its manifest values when it completed): not a rejection, the row is passed on flagged
 * {@link ValidatedRow#alreadyAnonymised()} and the writer reports it {@code ALREADY_ANONYMISED}, informational;</li>
 * <li>{@code NO_LONGER_ELIGIBLE} or {@code NOT_IN_EXPORT} when the manifest row was resolved by an earlier import
 * without anonymising the member (its values are erased): found no longer eligible then, or kept (its row deleted
 * from that import's file), which a later file cannot undo: a new export can;</li>
 * <li>{@code CONTENT_MODIFIED}: the row's values (all eight columns) do not have the manifest's fingerprint, or a
 * cell holds a formula (the export writes none, and what the admin saw is the recalculated value, not the cached one
 * read here);</li>
 * <li>{@code NO_LONGER_ELIGIBLE}: {@link EligibilityRules} with the export's as-of date and inactivity, on today's
 * data (the writer checks again, in its transaction, for what changes in between).</li>
 * </ol>
 * Stateless (reads only) and thread-safe; exception messages carry no names.
 */
public class RowValidator implements ItemProcessor<UploadedRow, ValidatedRow> {

    /** What the database knows about a member, for one import. */
    public record MemberFacts(long clubId, String memberNumber, MemberActivity activity, boolean inExport,
            String fingerprint) {
    }

    /** The database lookups of the validation, bound to one import and its export. */
    public interface Facts {

        /** The first row of this import that named the member, if any row did. */
        OptionalLong firstRowNaming(long memberId);

        Optional<MemberFacts> member(long memberId);
    }

    /** The message of a row naming a member an earlier import of the export kept. */
    static final String KEPT_BY_AN_EARLIER_IMPORT = "An earlier import of this export kept this member (the row was"
            + " not in that file): rows may not be added back.";

    private final ImportContext context;

    private final Facts facts;

    private final EligibilityRules rules;

    RowValidator(ImportContext context, Facts facts, EligibilityRules rules) {
        this.context = context;
        this.facts = facts;
        this.rules = rules;
    }

    @Override
    public ValidatedRow process(UploadedRow row) {
        long rowNumber = row.rowNumber();
        String memberNumber = row.memberNumber();
        Long memberId = wholeNumber(row.memberId());
        if (UploadedRow.isBlank(row.memberId()) || UploadedRow.isBlank(memberNumber)) {
            throw new RowRejectedException(RowRejection.MISSING_ID, rowNumber, memberId, memberNumber);
        }
        if (memberId == null) {
            throw new RowRejectedException(RowRejection.UNKNOWN_MEMBER, rowNumber, null, memberNumber,
                    "The member ID is not a whole number.");
        }
        OptionalLong firstRow = facts.firstRowNaming(memberId);
        if (firstRow.isPresent() && firstRow.getAsLong() < rowNumber) {
            throw new RowRejectedException(RowRejection.DUPLICATE_ROW, rowNumber, memberId, memberNumber,
                    "This member already appears in row " + firstRow.getAsLong() + ".");
        }
        MemberFacts member = facts.member(memberId)
            .orElseThrow(() -> new RowRejectedException(RowRejection.UNKNOWN_MEMBER, rowNumber, memberId,
                    memberNumber));
        if (!memberNumber.equals(member.memberNumber())) {
            throw new RowRejectedException(RowRejection.ID_NUMBER_MISMATCH, rowNumber, memberId, memberNumber);
        }
        if (member.clubId() != context.clubId()) {
            throw new RowRejectedException(RowRejection.OTHER_CLUB, rowNumber, memberId, memberNumber);
        }
        if (!member.inExport()) {
            throw new RowRejectedException(RowRejection.NOT_IN_EXPORT, rowNumber, memberId, memberNumber);
        }
        MemberActivity activity = member.activity();
        // Before the fingerprint: another import of the same export may have anonymised the member and, completing,
        // erased the manifest's fingerprints; the true reason is that the member is anonymised already.
        if (activity.anonymisedAt() != null || "ANONYMISED".equals(activity.status())) {
            return new ValidatedRow(rowNumber, memberId, memberNumber, true);
        }
        if (member.fingerprint() == null) {
            // The manifest row was resolved (and erased) by an earlier import of this export without anonymising the
            // member: say why it stays kept rather than blaming the row's content.
            Eligibility eligibility = rules.evaluate(activity, context.period());
            if (!eligibility.eligible()) {
                throw new RowRejectedException(RowRejection.NO_LONGER_ELIGIBLE, rowNumber, memberId, memberNumber,
                        noLongerEligible(eligibility.reason()));
            }
            throw new RowRejectedException(RowRejection.NOT_IN_EXPORT, rowNumber, memberId, memberNumber,
                    KEPT_BY_AN_EARLIER_IMPORT);
        }
        if (row.formula()) {
            throw new RowRejectedException(RowRejection.CONTENT_MODIFIED, rowNumber, memberId, memberNumber,
                    "A cell of the row holds a formula: rows may not be edited.");
        }
        if (!member.fingerprint().equals(fingerprint(context.exportId(), memberId, row))) {
            throw new RowRejectedException(RowRejection.CONTENT_MODIFIED, rowNumber, memberId, memberNumber);
        }
        Eligibility eligibility = rules.evaluate(activity, context.period());
        if (!eligibility.eligible()) {
            throw new RowRejectedException(RowRejection.NO_LONGER_ELIGIBLE, rowNumber, memberId, memberNumber,
                    noLongerEligible(eligibility.reason()));
        }
        return new ValidatedRow(rowNumber, memberId, memberNumber);
    }

    /** The fingerprint of the row as uploaded, or {@code null} when a value cannot even be read as exported. */
    static String fingerprint(long exportId, long memberId, UploadedRow row) {
        Long months = wholeNumber(row.monthsInactive());
        if (months == null || months > Integer.MAX_VALUE || months < Integer.MIN_VALUE) {
            return null;
        }
        LocalDate lastActivity;
        try {
            lastActivity = row.lastActivity() == null ? null : LocalDate.parse(row.lastActivity().trim());
        }
        catch (DateTimeParseException ex) {
            return null;
        }
        return RowFingerprint.of(exportId, new ExportedRow(memberId, row.memberNumber(), row.lastName(),
                row.firstName(), row.status(), lastActivity, row.lastActivityKind(), months.intValue()));
    }

    /** A whole number written as text ({@code "123"}, {@code " 123 "}, {@code "123.0"}), else {@code null}. */
    static Long wholeNumber(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text.trim()).stripTrailingZeros();
            return value.scale() <= 0 ? value.longValueExact() : null;
        }
        catch (NumberFormatException | ArithmeticException ex) {
            return null;
        }
    }

    /** The error file's message for a member who is no longer eligible: the rule, never the data behind it. */
    static String noLongerEligible(Ineligibility reason) {
        String why = switch (Objects.requireNonNull(reason)) {
            case ALREADY_ANONYMISED -> "already anonymised";
            case CLIENT -> "is a client";
            case DEBT -> "owes money";
            case OVERPAYMENT -> "has a credit balance";
            case CREATED_AFTER_CUTOFF -> "created after the cutoff";
            case RECENT_VISIT -> "visited the club since the cutoff";
            case RECENT_BOOKING -> "has a booking since the cutoff";
            case RECENT_PURCHASE -> "made a purchase since the cutoff";
            case RECENT_INSTALMENT -> "has an instalment due since the cutoff";
        };
        return "This member is no longer eligible for anonymisation (" + why + ") and was kept.";
    }
}
