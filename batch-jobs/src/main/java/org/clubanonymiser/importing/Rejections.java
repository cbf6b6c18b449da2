package org.clubanonymiser.importing;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes rejected rows to {@code anonymisation_import_rejection} and counts them on the import record, in the caller's
 * (chunk) transaction. The table's key (import, row number) makes a row impossible to record twice. Stateless.
 */
class Rejections {

    private static final int MEMBER_NUMBER_LENGTH = 32;

    private static final int MESSAGE_LENGTH = 500;

    private static final String INSERT_SQL = """
            insert into anonymisation_import_rejection (import_id, row_number, member_id, member_number, code, message)
            values (?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;

    private final ImportRecords records;

    Rejections(JdbcTemplate jdbc, ImportRecords records) {
        this.jdbc = jdbc;
        this.records = records;
    }

    void record(long importId, List<RowRejectedException> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT_SQL, rejections.stream().map(r -> new Object[] { importId, r.rowNumber(),
                r.memberId(), truncate(r.memberNumber(), MEMBER_NUMBER_LENGTH), r.code().name(),
                truncate(r.humanMessage(), MESSAGE_LENGTH) }).toList());
    }

    /** Records and counts rows rejected by the validator (each one also a row read). */
    void recordSkipped(long importId, RowRejectedException rejection) {
        record(importId, List.of(rejection));
        records.countRejected(importId, 1);
    }

    private static String truncate(String value, int length) {
        // A hand-typed cell may be longer than the column; the error file needs a hint, not the whole text.
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }
}
