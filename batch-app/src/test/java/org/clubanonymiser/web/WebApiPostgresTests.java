package org.clubanonymiser.web;

import org.clubanonymiser.testsupport.TestDatabases;

import org.springframework.test.context.ContextConfiguration;

/** {@link WebApiScenarios} on a real PostgreSQL (the representative subset: the workflow and its club scoping). */
@ContextConfiguration(initializers = TestDatabases.PostgresInitializer.class)
class WebApiPostgresTests extends WebApiScenarios {
}
