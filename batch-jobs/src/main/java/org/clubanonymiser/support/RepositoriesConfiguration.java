package org.clubanonymiser.support;

import java.util.Optional;

import org.clubanonymiser.support.database.DatabasePlatform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.dialect.DialectResolver;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.jdbc.core.dialect.JdbcOracleDialect;
import org.springframework.data.jdbc.core.mapping.JdbcMappingContext;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.data.relational.RelationalManagedTypes;
import org.springframework.data.relational.core.mapping.DefaultNamingStrategy;
import org.springframework.data.relational.core.mapping.NamingStrategy;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

/**
 * The product's Spring Data JDBC repositories (its own aggregates: users and clubs, import records), found in the
 * product's packages whichever class boots the context (the app's, or the jobs module's test application, whose own
 * package holds none): {@code support.account.*Repository}, {@code importing.ImportEntryRepository}. The dialect is
 * the product's own ({@link DatabasePlatform}): H2 in Oracle mode speaks Oracle to the repositories as it does to
 * every other statement. The batch hot paths (paging reader, manifest and anonymising writers, rejection recorder)
 * stay plain JDBC: they run set-based statements per chunk inside the chunk transaction, which a repository's
 * row-at-a-time {@code save} would turn into a statement per row.
 */
@Configuration(proxyBeanMethods = false)
@EnableJdbcRepositories(basePackages = "org.clubanonymiser")
public class RepositoriesConfiguration {

    /**
     * Plain (unquoted) identifiers, as the migrations create them: quoted lower-case names would miss H2's and
     * Oracle's upper-case tables. Replaces Boot's mapping context, built the same way otherwise.
     */
    @Bean
    JdbcMappingContext jdbcMappingContext(Optional<NamingStrategy> namingStrategy,
            JdbcCustomConversions customConversions, RelationalManagedTypes jdbcManagedTypes) {
        JdbcMappingContext context = JdbcMappingContext
            .forPlainIdentifiers(namingStrategy.orElse(DefaultNamingStrategy.INSTANCE));
        context.setSimpleTypeHolder(customConversions.getSimpleTypeHolder());
        context.setManagedTypes(jdbcManagedTypes);
        return context;
    }

    /**
     * Spring Data's Oracle dialect wherever the product speaks Oracle, H2's Oracle mode included (there H2 reads
     * {@code NUMBER(1)} booleans back as numbers, which only the Oracle dialect converts); else the dialect Spring
     * Data detects (H2, PostgreSQL).
     */
    @Bean
    JdbcDialect jdbcDialect(NamedParameterJdbcOperations operations) {
        JdbcOperations jdbc = operations.getJdbcOperations();
        DatabasePlatform platform = jdbc.execute((ConnectionCallback<DatabasePlatform>) DatabasePlatform::of);
        return platform == DatabasePlatform.ORACLE ? JdbcOracleDialect.INSTANCE : DialectResolver.getDialect(jdbc);
    }
}
