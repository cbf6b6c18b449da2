package org.clubanonymiser.residue;

import org.clubanonymiser.anonymisation.AnonymisationPlan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResidueTablesTests {

    @Test
    void theTablesWhoseValuesTheAnonymisationRemovesAndTheExportManifest() {
        assertThat(ResidueTables.of(AnonymisationPlan.current())).containsExactly("member", "member_address",
                "member_phone", "anonymisation_export_member");
    }
}
