package org.clubanonymiser.support.database;

import java.util.List;
import java.util.OptionalLong;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Slices of the rows sharing one value of an index prefix, in the order of a unique key: what a large erasure or
 * deletion runs through, one transaction per slice, so that no transaction holds the undo of them all (H2 keeps it
 * on the heap). The slice's end is read through the {@code (prefix, key)} index, in portable SQL:2008 (H2,
 * PostgreSQL, Oracle 12c+). Table and column names are the callers' constants, never input.
 */
public final class KeySlices {

    private KeySlices() {
    }

    /**
     * The key of the {@code size}-th row after key {@code after} among the rows where {@code prefixColumn = prefix}.
     *
     * @return the last key of the next slice; empty when fewer than {@code size} rows remain (the slice is the rest)
     */
    public static OptionalLong end(JdbcTemplate jdbc, String table, String prefixColumn, long prefix,
            String keyColumn, long after, int size) {
        List<Long> end = jdbc.queryForList("select " + keyColumn + " from " + table + " where " + prefixColumn
                + " = ? and " + keyColumn + " > ? order by " + prefixColumn + ", " + keyColumn
                + " offset ? rows fetch next 1 rows only", Long.class, prefix, after, size - 1);
        return end.isEmpty() ? OptionalLong.empty() : OptionalLong.of(end.get(0));
    }
}
