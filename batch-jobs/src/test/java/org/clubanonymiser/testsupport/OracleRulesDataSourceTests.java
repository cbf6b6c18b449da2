package org.clubanonymiser.testsupport;

import java.sql.Connection;
import java.sql.Statement;

import org.clubanonymiser.support.database.KeySlices;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SingleColumnRowMapper;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The referee refuses what the product issues against Oracle's rules, and lets the tests' own SQL through. */
class OracleRulesDataSourceTests {

    final OracleRulesDataSource dataSource = new OracleRulesDataSource(
            new SingleConnectionDataSource(TestDatabases.newOracleModeUrl(), "sa", "", true));

    @Test
    void aStatementOfAReaderTheProductConfiguresIsHeldToOraclesRules() throws Exception {
        JdbcCursorItemReader<Integer> reader = new JdbcCursorItemReader<>(dataSource, "select 1",
                new SingleColumnRowMapper<>(Integer.class));
        int before = OracleRulesDataSource.violations().size();

        assertThatExceptionOfType(RuntimeException.class)
            .isThrownBy(() -> reader.open(new ExecutionContext()))
            .withStackTraceContaining("SELECT without FROM");
        assertThat(OracleRulesDataSource.violations()).hasSize(before + 1);
        reader.close();
        OracleRulesDataSourceTests.forget(before);
    }

    @Test
    void theProductsOwnOracleSqlPasses() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table t (p number(19), k number(19), primary key (p, k))");
        jdbc.update("insert into t values (1, 1)");
        jdbc.update("insert into t values (1, 2)");

        assertThat(KeySlices.end(jdbc, "t", "p", 1, "k", 0, 2)).hasValue(2);
    }

    @Test
    void theTestsOwnStatementsAreNotTheProducts() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(statement.execute("select 1")).isTrue();
        }
    }

    /**
     * What the leg relies on H2's Oracle mode to emulate, pinned: an empty string is NULL (bound or literal), a
     * NUMBER column reads as BigDecimal, a DATE carries a time (read as a Timestamp), unique keys take NULL = NULL
     * beside a non-null column. And what it does not: {@code count(*)} is a Long here, a BigDecimal on Oracle (the
     * product reads aggregates typed only).
     */
    @Test
    void theLegEmulatesOraclesValueRules() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table v (id number(19) primary key, s varchar2(10 char), d date, k number(19),"
                + " constraint uk_v unique (s, k))");
        jdbc.update("insert into v (id, s, d, k) values (?, ?, ?, ?)", 1, "", java.sql.Date.valueOf("2026-01-02"), 7);
        jdbc.update("insert into v (id, s, k) values (2, '', 8)");

        assertThat(jdbc.queryForObject("select count(*) from v where s is null", Long.class)).isEqualTo(2);
        var row = Rows.list(jdbc, "select id, d from v where id = 1").get(0);
        assertThat(row.get("ID")).isEqualTo(1L);
        assertThat(jdbc.queryForObject("select id from v where id = 1", Object.class))
            .isInstanceOf(java.math.BigDecimal.class);
        assertThat(row.get("D")).isInstanceOf(java.sql.Timestamp.class);
        assertThat(jdbc.queryForObject("select count(*) from v", Object.class)).isInstanceOf(Long.class);
        assertThatExceptionOfType(org.springframework.dao.DuplicateKeyException.class)
            .isThrownBy(() -> jdbc.update("insert into v (id, s, k) values (3, null, 8)"));
    }

    /** The deliberate violation is not one of the product's: other tests of this JVM must not see it. */
    static void forget(int size) {
        OracleRulesDataSource.forgetAfter(size);
    }
}
