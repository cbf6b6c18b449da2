package org.clubanonymiser.eligibility;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * What eligibility is judged on, for one member: status, balance and the latest date of each kind of activity
 * (each {@code null} when the member has none). Read set-based by {@link EligibilitySql#MEMBER_ACTIVITY_COLUMNS}.
 *
 * @param lastBookedAt latest {@code booking.booked_at}
 * @param lastBookingStart latest {@code booking.starts_at} (may be in the future: a future booking is activity)
 * @param lastInstalmentDue latest {@code instalment.due_date} (may be in the future)
 */
public record MemberActivity(
        long memberId,
        String status,
        LocalDateTime createdAt,
        LocalDateTime anonymisedAt,
        BigDecimal balance,
        LocalDateTime lastVisit,
        LocalDateTime lastBookedAt,
        LocalDateTime lastBookingStart,
        LocalDateTime lastPurchase,
        LocalDate lastInstalmentDue) {

    /**
     * Reads the current row of {@link EligibilitySql#MEMBER_ACTIVITY_COLUMNS}: the one mapping the export, the import,
     * the single-member anonymisation and the web read members with. JDBC 4.2 conversions, no
     * {@code java.sql.Timestamp}: its calendar normalisation was 4% of a 1M-member export's profile.
     */
    public static MemberActivity of(ResultSet rs) throws SQLException {
        return new MemberActivity(rs.getLong("id"), rs.getString("status"), dateTime(rs, "created_at"),
                dateTime(rs, "anonymised_at"), rs.getBigDecimal("balance"), dateTime(rs, "last_visit"),
                dateTime(rs, "last_booked_at"), dateTime(rs, "last_booking_start"), dateTime(rs, "last_purchase"),
                rs.getObject("last_instalment_due", LocalDate.class));
    }

    private static LocalDateTime dateTime(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class);
    }
}
