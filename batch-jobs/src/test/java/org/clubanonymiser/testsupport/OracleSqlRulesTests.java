package org.clubanonymiser.testsupport;

import java.util.Collections;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each Oracle rule the Oracle leg enforces on top of H2: a statement that breaks it, and its Oracle form. */
class OracleSqlRulesTests {

    @Test
    void booleanLiterals() {
        assertThat(OracleSqlRules.violations("update member set sales_blocked = true where id = ?"))
            .singleElement().asString().startsWith("boolean literal");
        assertThat(OracleSqlRules.violations("update member set sales_blocked = ? where id = ?")).isEmpty();
        // Inside a string literal or a quoted name it is data, not a literal.
        assertThat(OracleSqlRules.violations("select 'true' from dual")).isEmpty();
    }

    @Test
    void selectNeedsFrom() {
        assertThat(OracleSqlRules.violations("select 1")).singleElement().asString().startsWith("SELECT without FROM");
        assertThat(OracleSqlRules.violations("select 1 from dual")).isEmpty();
    }

    @Test
    void noAsBeforeATableAlias() {
        assertThat(OracleSqlRules.violations("select m.id from member as m")).singleElement().asString()
            .startsWith("AS before a table alias");
        assertThat(OracleSqlRules.violations("select m.id as id from member m join badge b on b.member_id = m.id"))
            .isEmpty();
    }

    @Test
    void theReservedWordNumberIsQuoted() {
        assertThat(OracleSqlRules.violations("insert into member_phone (id, member_id, kind, number) values (?, ?, ?, ?)"))
            .singleElement().asString().startsWith("unquoted reserved word NUMBER");
        assertThat(OracleSqlRules.violations("select p.number from member_phone p")).hasSize(1);
        assertThat(OracleSqlRules.violations(
                "insert into member_phone (id, member_id, kind, \"NUMBER\") values (?, ?, ?, ?)")).isEmpty();
        assertThat(OracleSqlRules.violations("select member_number, row_number from t")).isEmpty();
        assertThat(OracleSqlRules.violations("select cast(x as number(19)) from t")).isEmpty();
    }

    @Test
    void forUpdateWithoutARowLimit() {
        assertThat(OracleSqlRules.violations("select id from member order by id fetch first 1 rows only for update"))
            .singleElement().asString().startsWith("FOR UPDATE with a row limit");
        assertThat(OracleSqlRules.violations("select distinct club_id from member for update")).hasSize(1);
        assertThat(OracleSqlRules.violations("select id from member where id in (?, ?) order by id for update"))
            .isEmpty();
        assertThat(OracleSqlRules.violations("select id from member fetch first 1 rows only")).isEmpty();
    }

    @Test
    void inListsOfAtMostAThousand() {
        String thousand = String.join(", ", Collections.nCopies(1000, "?"));
        String thousandAndOne = thousand + ", ?";
        assertThat(OracleSqlRules.violations("select id from member where id in (" + thousand + ")")).isEmpty();
        assertThat(OracleSqlRules.violations("select id from member where id in (" + thousandAndOne + ")"))
            .singleElement().asString().startsWith("IN list of more than 1000");
        // A function call's commas inside the list are not items; a subquery is no list.
        assertThat(OracleSqlRules.violations("select id from member where id in (coalesce(?, 1), ?)")).isEmpty();
        assertThat(OracleSqlRules.violations("delete from badge where member_id in (select id from member)"))
            .isEmpty();
    }

    @Test
    void rowLimitsInOracleSyntax() {
        assertThat(OracleSqlRules.violations("select id from member order by id limit 10")).hasSize(1);
        assertThat(OracleSqlRules.violations("select id from member order by id limit ? offset ?")).hasSize(1);
        assertThat(OracleSqlRules.violations("select id from member order by id offset ? rows fetch next 1 rows only"))
            .isEmpty();
    }

    @Test
    void noPostgresOnlySyntax() {
        assertThat(OracleSqlRules.violations("select count(*) filter (where status = 'X') from member")).hasSize(1);
        assertThat(OracleSqlRules.violations("select id::text from member")).hasSize(1);
        assertThat(OracleSqlRules.violations("insert into t (id) values (?) on conflict do nothing")).hasSize(1);
        assertThat(OracleSqlRules.violations("select now() from dual")).hasSize(1);
        assertThat(OracleSqlRules.violations("select current_timestamp from dual")).isEmpty();
    }

    @Test
    void noPredicateAsAValue() {
        assertThat(OracleSqlRules.violations("select exists (select 1 from member) from dual")).hasSize(1);
        assertThat(OracleSqlRules.violations(
                "select case when exists (select 1 from member) then 1 else 0 end from dual")).isEmpty();
    }

    @Test
    void migrationsAndOtherStatementsAreNotChecked() {
        assertThat(OracleSqlRules.violations("create table t (number varchar2(3), b number(1) default 0)")).isEmpty();
    }
}
