package org.clubanonymiser.demo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One generated member and every row that belongs to them, table by table, as {@link DemoMemberWriter} inserts
 * them. Child ids are {@code memberId * 1000 + n}: they depend on the member alone, never on the chunk. Holds
 * personal (fake) data: never logged ({@link #toString()} shows the id only).
 *
 * @param address {@code null} when the member has no address row
 * @param balance {@code null} when the member has no {@code member_account} row (a balance of 0)
 * @param ledger  {@code null} unless the member was anonymised by the seeded past import
 */
record DemoMember(MemberRow member, AddressRow address, List<PhoneRow> phones, List<ConsentRow> consents,
        BigDecimal balance, List<BadgeRow> badges, List<VisitRow> visits, List<BookingRow> bookings,
        List<PurchaseRow> purchases, List<InstalmentRow> instalments, List<InvoiceRow> invoices,
        LedgerRow ledger) {

    static final long CHILD_IDS_PER_MEMBER = 1000;

    long id() {
        return member.id();
    }

    @Override
    public String toString() {
        return "DemoMember[id=" + member.id() + "]";
    }

    record MemberRow(long id, String memberNumber, long clubId, String status, String firstName, String lastName,
            String email, LocalDate birthDate, String notes, LocalDateTime createdAt, LocalDateTime anonymisedAt,
            boolean salesBlocked, boolean bookingsBlocked) {
    }

    record AddressRow(String line1, String line2, String postcode, String city, String country) {
    }

    record PhoneRow(long id, String kind, String number) {
    }

    record ConsentRow(String channel, boolean granted, LocalDateTime updatedAt) {
    }

    /** @param retired a badge retired by an anonymisation: its number also goes to {@code retired_badge_number} */
    record BadgeRow(long id, String badgeNumber, String status, LocalDateTime assignedAt, LocalDateTime retiredAt) {
    }

    /** A visit, booking or purchase: its table starts with {@code id, member_id, club_id}. */
    interface ActivityRow {

        long id();

        long clubId();
    }

    record VisitRow(long id, long clubId, LocalDateTime visitedAt) implements ActivityRow {
    }

    record BookingRow(long id, long clubId, LocalDateTime bookedAt, LocalDateTime startsAt, String status)
            implements ActivityRow {
    }

    record PurchaseRow(long id, long clubId, LocalDateTime purchasedAt, BigDecimal amount) implements ActivityRow {
    }

    record InstalmentRow(long id, LocalDate dueDate, BigDecimal amount, String status) {
    }

    record InvoiceRow(long id, String invoiceNumber, LocalDateTime issuedAt, BigDecimal amount) {
    }

    record LedgerRow(long clubId, LocalDateTime anonymisedAt, String requestedBy) {
    }
}
