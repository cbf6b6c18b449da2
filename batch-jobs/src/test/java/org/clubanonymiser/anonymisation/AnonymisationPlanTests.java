package org.clubanonymiser.anonymisation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.clubanonymiser.anonymisation.AnonymisationPlan.Treatment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plan's own rules, the SQL generated from it, and the table in docs/reference.md (which must be the plan's). */
class AnonymisationPlanTests {

    private final AnonymisationPlan plan = AnonymisationPlan.current();

    @Test
    void theDocumentedTableIsThePlan() throws IOException {
        String reference = Files.readString(Path.of("..", "docs", "reference.md"));
        String start = "<!-- anonymisation-plan:start (generated from AnonymisationPlan.markdownTable()) -->\n";
        String end = "<!-- anonymisation-plan:end -->";
        assertThat(reference).contains(start).contains(end);
        String table = reference.substring(reference.indexOf(start) + start.length(), reference.indexOf(end));
        assertThat(table).as("docs/reference.md anonymisation table; paste AnonymisationPlan.markdownTable()")
            .isEqualTo(plan.markdownTable());
        assertThat(reference).contains("`" + AnonymisationPlan.VERSION + "`");
    }

    @Test
    void everyColumnSaysWhyAndOnlyErasedOrSetColumnsCarryAValue() {
        assertThat(plan.tables()).extracting(AnonymisationPlan.Table::name).startsWith("member", "member_address",
                "member_phone", "member_consent", "member_account", "badge");
        plan.tables().forEach(table -> table.columns().forEach(column -> assertThat(column.why()).isNotBlank()));
        assertThatThrownBy(() -> new AnonymisationPlan.Column("x", Treatment.KEPT, "'v'", "why"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnonymisationPlan.Column("x", Treatment.KEPT, null, " "))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGeneratedSqlErasesWhatThePlanSaysAndNothingElse() {
        PlanExecutor executor = new PlanExecutor(plan);
        assertThat(executor.memberUpdateSql("m.id = :memberId")).isEqualTo("update member m set status = "
                + "'ANONYMISED', first_name = 'No', last_name = 'No', email = null, birth_date = null, notes = null, "
                + "anonymised_at = :now, sales_blocked = :yes, bookings_blocked = :yes where m.id = :memberId");
        assertThat(executor.detailStatements()).containsExactly(
                "update member_address set line1 = null, line2 = null, postcode = null, city = null, country = null"
                        + " where member_id in (:ids)",
                "delete from member_phone where member_id in (:ids)",
                "update member_consent set granted = :no, updated_at = :now where member_id in (:ids)",
                "insert into retired_badge_number (badge_number, retired_at) select t.badge_number, :now from badge t"
                        + " where t.member_id in (:ids) and (select count(*) from retired_badge_number r where"
                        + " r.badge_number = t.badge_number) = 0",
                "update badge set status = 'RETIRED' where member_id in (:ids)");
    }
}
