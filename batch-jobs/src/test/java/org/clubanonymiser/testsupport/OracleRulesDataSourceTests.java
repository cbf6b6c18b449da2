package org.clubanonymiser.testsupport;

import java.sql.Connection;
import java.sql.Statement;

import org.clubanonymiser.support.KeySlices;
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

    /** The deliberate violation is not one of the product's: other tests of this JVM must not see it. */
    static void forget(int size) {
        OracleRulesDataSource.forgetAfter(size);
    }
}
