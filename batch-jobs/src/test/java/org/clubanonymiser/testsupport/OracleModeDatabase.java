package org.clubanonymiser.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A whole-application test on the Oracle leg: a private in-memory H2 database in Oracle compatibility mode, migrated
 * by Flyway from {@code sql/oracle} with Spring Batch's Oracle script, the product on its Oracle SQL paths; and a
 * private storage dir. Every statement the product issues is also checked against the Oracle rules H2 does not
 * enforce ({@link OracleRulesDataSource}). No Oracle server runs here: what this leg cannot show is covered as listed in
 * {@code docs/reference.md} ("Oracle").
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = BatchJobsTestApplication.class)
@ContextConfiguration(initializers = TestDatabases.OracleModeInitializer.class)
@ExtendWith(OracleRulesExtension.class)
public @interface OracleModeDatabase {
}
