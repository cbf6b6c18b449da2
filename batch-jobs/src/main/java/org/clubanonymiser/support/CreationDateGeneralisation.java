package org.clubanonymiser.support;

import java.sql.Timestamp;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Truncates the creation date of members just anonymised to {@code anonymiser.privacy.creation-date-precision}, in
 * the caller's (the anonymising) transaction. The truncation is computed here rather than in SQL, so it is the same
 * on H2, PostgreSQL and Oracle (whose date-truncation functions differ). Only {@code ANONYMISED} members are touched.
 * Idempotent (a truncated value truncates to itself); stateless and thread-safe.
 */
public class CreationDateGeneralisation {

    private final NamedParameterJdbcTemplate jdbc;

    private final CreationDatePrecision precision;

    public CreationDateGeneralisation(NamedParameterJdbcTemplate jdbc, CreationDatePrecision precision) {
        this.jdbc = jdbc;
        this.precision = precision;
    }

    public CreationDatePrecision precision() {
        return precision;
    }

    /** Generalises the creation date of these anonymised members; returns how many rows changed. */
    public int apply(List<Long> memberIds) {
        if (precision == CreationDatePrecision.EXACT || memberIds.isEmpty()) {
            return 0;
        }
        SqlParameterSource[] updates = jdbc.query("""
                select m.id, m.created_at from member m
                where m.id in (:ids) and m.status = 'ANONYMISED' and\s""" + precision.finerThan("m.created_at"),
                new MapSqlParameterSource("ids", memberIds),
                (rs, n) -> new MapSqlParameterSource("id", rs.getLong(1)).addValue("createdAt",
                        Timestamp.valueOf(precision.truncate(rs.getTimestamp(2).toLocalDateTime()))))
            .toArray(SqlParameterSource[]::new);
        if (updates.length == 0) {
            return 0;
        }
        jdbc.batchUpdate("update member set created_at = :createdAt where id = :id", updates);
        return updates.length;
    }
}
