package org.clubanonymiser.testsupport;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Rows as maps for assertions, with the same Java values on every leg. Oracle has no BOOLEAN, BIGINT or INTEGER
 * column: its migrations use {@code NUMBER(1)} (0/1), {@code NUMBER(19)} and {@code NUMBER(10)}, which the driver
 * (and H2 in Oracle mode) returns as {@link BigDecimal}. Here they read as Boolean, Long and Integer, as H2 and
 * PostgreSQL return them; any other value is left as the driver gives it. The product itself never reads a column
 * as a bare object it then casts (a test of the Oracle leg would show it).
 */
public final class Rows {

    private static final RowMapper<Map<String, Object>> PORTABLE = new ColumnMapRowMapper() {

        @Override
        protected Object getColumnValue(ResultSet rs, int index) throws SQLException {
            Object value = super.getColumnValue(rs, index);
            ResultSetMetaData meta = rs.getMetaData();
            int type = meta.getColumnType(index);
            if (!(value instanceof BigDecimal number) || (type != Types.NUMERIC && type != Types.DECIMAL)
                    || meta.getScale(index) != 0) {
                return value;
            }
            int precision = meta.getPrecision(index);
            if (precision == 1) {
                return number.signum() != 0;
            }
            return precision <= 10 ? (Object) number.intValueExact() : (Object) number.longValueExact();
        }
    };

    private Rows() {
    }

    /** {@link JdbcTemplate#queryForMap}, portable. */
    public static Map<String, Object> map(JdbcTemplate jdbc, String sql, Object... args) {
        return jdbc.queryForObject(sql, PORTABLE, args);
    }

    /** {@link JdbcTemplate#queryForList(String, Object...)}, portable. */
    public static List<Map<String, Object>> list(JdbcTemplate jdbc, String sql, Object... args) {
        return jdbc.query(sql, PORTABLE, args);
    }
}
