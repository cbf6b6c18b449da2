package org.clubanonymiser.importing;

import java.util.List;
import java.util.function.IntFunction;

import org.clubanonymiser.importing.CellValues.Kind;
import org.clubanonymiser.importing.SheetRows.RawCell;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each XML representation of a value reads as what a spreadsheet shows, and only the same shown value is equal. */
class CellValuesTests {

    private static final List<String> TABLE = List.of("3", " 3 ", "Dupont", "Dupont ", "2019-01-04", "");

    private static final IntFunction<String> STRINGS = index -> index < TABLE.size() ? TABLE.get(index) : null;

    private static String shown(String type, String value, Kind kind) {
        return CellValues.shown(new RawCell(0, type, value, 0, false), STRINGS, false, kind);
    }

    @Test
    void numbersWhateverTheirXmlForm() {
        for (String xml : List.of("3", "3.0", "3.000", "3E0", "0.3E1", " 3 ", "2.9999999999999996",
                "3.0000000000000004")) {
            assertThat(shown(null, xml, Kind.NUMBER)).as(xml).isEqualTo("3");
            assertThat(shown("n", xml, Kind.NUMBER)).as(xml).isEqualTo("3");
        }
        assertThat(shown(null, "4", Kind.NUMBER)).isEqualTo("4");
        assertThat(shown(null, "0.0", Kind.NUMBER)).isEqualTo("0");
        assertThat(shown(null, "1.0E7", Kind.NUMBER)).isEqualTo("10000000");
        assertThat(shown(null, "1234567890123456", Kind.NUMBER)).as("a whole number is never rounded")
            .isEqualTo("1234567890123456");
        assertThat(shown("inlineStr", "9999999999999999", Kind.NUMBER)).isEqualTo("9999999999999999");
    }

    @Test
    void textHoldingANumberInANumberColumnIsThatNumber() {
        assertThat(shown("s", "0", Kind.NUMBER)).isEqualTo("3");
        assertThat(shown("s", "1", Kind.NUMBER)).isEqualTo("3");
        assertThat(shown("inlineStr", " 3 ", Kind.NUMBER)).isEqualTo("3");
        assertThat(shown("str", "3.0", Kind.NUMBER)).isEqualTo("3");
        assertThat(shown("inlineStr", "three", Kind.NUMBER)).isEqualTo("three");
    }

    @Test
    void datesAsSerialsOrIsoText() {
        // 43469 is 2019-01-04 in the 1900 system, whatever the cell's number format.
        assertThat(shown(null, "43469", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(shown(null, "43469.0", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(shown(null, "4.3469E4", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(shown("s", "4", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(shown("inlineStr", " 2019-01-04 ", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(shown("d", "2019-01-04T00:00:00", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(shown("d", "2019-01-04", Kind.DATE)).isEqualTo("2019-01-04");
        assertThat(CellValues.shown(new RawCell(5, null, "41007", 0, false), STRINGS, true, Kind.DATE))
            .as("1904 date system").isEqualTo("2016-04-09");
    }

    @Test
    void aChangedDateOrATimeOfDayIsAnotherValue() {
        assertThat(shown(null, "43470", Kind.DATE)).isEqualTo("2019-01-05");
        assertThat(shown(null, "43469.5", Kind.DATE)).isEqualTo("2019-01-04T12:00");
        assertThat(shown("inlineStr", "04/01/2019", Kind.DATE)).isEqualTo("04/01/2019");
    }

    @Test
    void textExactlyAsStoredSpacesIncluded() {
        assertThat(shown("s", "2", Kind.TEXT)).isEqualTo("Dupont");
        assertThat(shown("s", " 2 ", Kind.TEXT)).as("whitespace around a shared-string index").isEqualTo("Dupont");
        assertThat(shown("s", "3", Kind.TEXT)).isEqualTo("Dupont ");
        assertThat(shown("inlineStr", "Dupont", Kind.TEXT)).isEqualTo("Dupont");
        assertThat(shown("inlineStr", "Dupond", Kind.TEXT)).isNotEqualTo("Dupont");
        assertThat(shown(null, "103.0", Kind.TEXT)).as("a number in a text column").isEqualTo("103");
        assertThat(shown("inlineStr", "M102_x0000_ and _x005F_x0007_", Kind.TEXT)).as("OOXML escapes")
            .isEqualTo("M102\u0000 and _x0007_");
    }

    @Test
    void emptyBooleanAndErrorCells() {
        assertThat(CellValues.shown(null, STRINGS, false, Kind.TEXT)).isNull();
        assertThat(shown(null, null, Kind.TEXT)).isNull();
        assertThat(shown(null, "", Kind.NUMBER)).isNull();
        assertThat(shown("s", "5", Kind.TEXT)).isNull();
        assertThat(shown("s", "99", Kind.TEXT)).as("no such shared string").isNull();
        assertThat(shown("b", "1", Kind.TEXT)).isEqualTo("TRUE");
        assertThat(shown("b", "0", Kind.TEXT)).isEqualTo("FALSE");
        assertThat(shown("e", "#N/A", Kind.NUMBER)).isEqualTo("#ERROR");
    }
}
