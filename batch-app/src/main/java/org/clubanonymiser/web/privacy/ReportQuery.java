package org.clubanonymiser.web.privacy;

import java.time.LocalDate;

import org.springframework.format.annotation.DateTimeFormat;

/**
 * The query parameters of a privacy report, for the page and the API alike: {@code importId}, {@code memberId}, or
 * {@code from} (and optionally {@code to}, {@code clubId}); dates {@code YYYY-MM-DD}.
 */
record ReportQuery(Long importId, Long memberId, @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to, Long clubId) {
}
