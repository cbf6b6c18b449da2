package org.clubanonymiser.eligibility;

import java.math.BigDecimal;
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
}
