package org.clubanonymiser.residue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.clubanonymiser.anonymisation.AnonymisationPlan.Treatment;

/**
 * The tables whose files may hold anonymised values: every table of the anonymisation plan where a value is erased,
 * nulled, deleted or generalised (the old row version stays in the table's pages), and the export manifest, whose
 * values are erased when its export is imported or purged. Tables the plan keeps unchanged (activity, accounts,
 * badges, consents) are not rewritten: they never held a value that was removed.
 */
final class ResidueTables {

    static final String EXPORT_MANIFEST = "anonymisation_export_member";

    private static final Set<Treatment> REMOVED = EnumSet.of(Treatment.ERASED, Treatment.NULLED, Treatment.DELETED,
            Treatment.GENERALISED);

    private ResidueTables() {
    }

    static List<String> of(AnonymisationPlan plan) {
        List<String> tables = new ArrayList<>();
        for (AnonymisationPlan.Table table : plan.tables()) {
            if (table.columns().stream().anyMatch(column -> REMOVED.contains(column.treatment()))) {
                tables.add(table.name());
            }
        }
        tables.add(EXPORT_MANIFEST);
        return List.copyOf(tables);
    }
}
