package org.clubanonymiser.support.workbook;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ExportIdentityTests {

    private final ExportIdentity identity = new ExportIdentity(17, 3, "PAR-01", LocalDate.of(2026, 11, 29),
            LocalDate.of(2023, 11, 29), 36, 1234, LocalDateTime.of(2026, 11, 29, 10, 15, 30), 1);

    @Test
    void roundTripsThroughProperties() {
        assertThat(ExportIdentity.fromProperties(identity.toProperties())).isEqualTo(identity);
    }

    @Test
    void acceptsIntegersTurnedIntoDecimalsByASpreadsheet() {
        Map<String, String> properties = new HashMap<>(identity.toProperties());
        properties.put(ExportIdentity.EXPORT_ID, "17.0");
        properties.put(ExportIdentity.ROW_COUNT, " 1234.0 ");
        assertThat(ExportIdentity.fromProperties(properties)).isEqualTo(identity);
    }

    @Test
    void refusesAMissingKey() {
        Map<String, String> properties = new HashMap<>(identity.toProperties());
        properties.remove(ExportIdentity.CLUB_ID);
        assertThatIllegalArgumentException().isThrownBy(() -> ExportIdentity.fromProperties(properties))
            .withMessageContaining(ExportIdentity.CLUB_ID);
    }

    @Test
    void refusesAMalformedValue() {
        Map<String, String> properties = new HashMap<>(identity.toProperties());
        properties.put(ExportIdentity.AS_OF, "29/11/2026");
        assertThatIllegalArgumentException().isThrownBy(() -> ExportIdentity.fromProperties(properties))
            .withMessageStartingWith("Malformed export identity");
        properties.put(ExportIdentity.AS_OF, "2026-11-29");
        properties.put(ExportIdentity.EXPORT_ID, "seventeen");
        assertThatIllegalArgumentException().isThrownBy(() -> ExportIdentity.fromProperties(properties));
    }
}
