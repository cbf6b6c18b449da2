package org.clubanonymiser.importing;

import java.nio.file.Path;
import java.util.List;

import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reader reads what a spreadsheet shows, from XML spelled the way other programs write it (each part crafted by
 * {@link CraftedXlsx}), and finds the marks people leave on rows.
 */
class UploadedRowReaderRepresentationTests {

    private static final UploadedRow EXPECTED = new UploadedRow(2, "101", "M101", "Dupont", "Zoé", "FORMER_CLIENT",
            "2019-01-04", "VISIT", "81");

    @TempDir
    Path dir;

    @BeforeEach
    void redirectPoiTempFiles() {
        TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(dir.resolve("poi").toFile()));
    }

    private static List<UploadedRow> read(Path file) throws Exception {
        UploadedRowReader reader = new UploadedRowReader(file);
        reader.open(new ExecutionContext());
        try {
            return UploadedRowReaderTests.readAll(reader);
        }
        finally {
            reader.close();
        }
    }

    /** Gnumeric's layout: pretty-printed parts, whitespace between elements everywhere but inside {@code <t>}. */
    @Test
    void prettyPrintedSharedAndInlineStringsRichTextRunsAndCustomDateFormat() throws Exception {
        String strings = """
                  <si>
                    <t>M101</t>
                  </si>
                  <si>
                    <r>
                      <rPr><b/></rPr>
                      <t>Du</t>
                    </r>
                    <r>
                      <t>pont</t>
                    </r>
                    <rPh sb="0" eb="2"><t>DYUPON</t></rPh>
                  </si>
                  <si>
                    <t xml:space="preserve">FORMER_CLIENT</t>
                  </si>
                """;
        String rows = CraftedXlsx.header() + """
                    <row r="2" spans="1:8">
                      <c r="A2">
                        <v>101</v>
                      </c>
                      <c r="B2" t="s">
                        <v>0</v>
                      </c>
                      <c r="C2" t="s">
                        <v>1</v>
                      </c>
                      <c r="D2" t="inlineStr">
                        <is>
                          <t>Zoé</t>
                        </is>
                      </c>
                      <c r="E2" t="s">
                        <v>2</v>
                      </c>
                      <c r="F2" s="1">
                        <v>43469</v>
                      </c>
                      <c r="G2" t="inlineStr">
                        <is>
                          <r><t>VI</t></r>
                          <r><t>SIT</t></r>
                        </is>
                      </c>
                      <c r="H2">
                        <v>81</v>
                      </c>
                    </row>
                """;
        Path file = CraftedXlsx.write(dir.resolve("gnumeric-like.xlsx"), strings, rows, null, false);

        assertThat(read(file)).usingRecursiveFieldByFieldElementComparator().containsExactly(EXPECTED);
    }

    /** Numbers in any XML form, text in number and date columns, a row and cells without references. */
    @Test
    void numbersAndDatesWhateverTheirXmlForm() throws Exception {
        String rows = CraftedXlsx.header() + """
                <row><c t="inlineStr"><is><t> 101 </t></is></c><c t="inlineStr"><is><t>M101</t></is></c>\
                <c t="inlineStr"><is><t>Dupont</t></is></c><c t="inlineStr"><is><t>Zoé</t></is></c>\
                <c t="inlineStr"><is><t>FORMER_CLIENT</t></is></c><c t="inlineStr"><is><t>2019-01-04</t></is></c>\
                <c t="inlineStr"><is><t>VISIT</t></is></c><c><v>8.1E1</v></c></row>
                <row r="3"><c r="A3"><v>1.02E2</v></c><c r="H3" t="str"><v>81.0</v></c><c r="F3" s="1"><v>43469.0</v></c></row>
                <row r="4"><c r="A4" t="d"><v>103</v></c><c r="F4" t="d"><v>2019-01-04T00:00:00Z</v></c></row>
                """;
        Path file = CraftedXlsx.write(dir.resolve("forms.xlsx"), null, rows, null, false);

        List<UploadedRow> read = read(file);
        assertThat(read.get(0)).usingRecursiveComparison().isEqualTo(EXPECTED);
        assertThat(read.get(1)).extracting(UploadedRow::memberId, UploadedRow::lastActivity, UploadedRow::monthsInactive)
            .containsExactly("102", "2019-01-04", "81");
        assertThat(read.get(2).lastActivity()).isEqualTo("2019-01-04");
    }

    /** A value beside a row, a comment, a colour or strikethrough unlike the other rows: each row says which. */
    @Test
    void findsTheMarksPeopleLeaveOnRows() throws Exception {
        StringBuilder rows = new StringBuilder(CraftedXlsx.header());
        for (int r = 2; r <= 12; r++) {
            String style = switch (r) {
                case 4 -> "2";
                case 5 -> "3";
                case 6 -> "4";
                default -> "0";
            };
            rows.append("<row r=\"").append(r).append("\"><c r=\"A").append(r).append("\"><v>").append(100 + r)
                .append("</v></c><c r=\"B").append(r).append("\" t=\"inlineStr\"><is><t>M").append(100 + r)
                .append("</t></is></c><c r=\"C").append(r).append("\" s=\"").append(style)
                .append("\" t=\"inlineStr\"><is><t>Name").append(r).append("</t></is></c>")
                // Styled but empty cells beside the row are no content.
                .append("<c r=\"J").append(r).append("\" s=\"2\"/>");
            if (r == 7) {
                rows.append("<c r=\"I7\" t=\"inlineStr\"><is><t>keep - still in contact</t></is></c>");
            }
            if (r == 8) {
                rows.append("<c r=\"K8\" t=\"inlineStr\"><is><t> </t></is></c>");
            }
            rows.append("</row>");
        }
        String comments = "<comment ref=\"B3\" authorId=\"0\"><text><t>keep</t></text></comment>";
        Path file = CraftedXlsx.write(dir.resolve("marks.xlsx"), null, rows.toString(), comments, false);

        List<UploadedRow> read = read(file);
        assertThat(read).extracting(UploadedRow::mark).containsExactly(null, "a comment in B3", "a fill colour in C4",
                "a font colour in C5", "strikethrough in C6", null, null, null, null, null, null);
        assertThat(read).extracting(UploadedRow::extraCell).containsExactly(null, null, null, null, null, "I7", null,
                null, null, null, null);
    }

    /** A program that restyles every data row alike marks none of them. */
    @Test
    void aUniformStyleIsNoMark() throws Exception {
        StringBuilder rows = new StringBuilder(CraftedXlsx.header());
        for (int r = 2; r <= 4; r++) {
            rows.append("<row r=\"").append(r).append("\"><c r=\"A").append(r).append("\" s=\"3\"><v>").append(r)
                .append("</v></c><c r=\"C").append(r).append("\" s=\"2\" t=\"inlineStr\"><is><t>N</t></is></c></row>");
        }
        Path file = CraftedXlsx.write(dir.resolve("uniform.xlsx"), null, rows.toString(), null, false);

        assertThat(read(file)).extracting(UploadedRow::mark).containsOnlyNulls().hasSize(3);
    }

    /** Hidden, collapsed, filtered-out or zero-height rows holding a value refuse the whole file, counted. */
    @Test
    void hiddenRowsRefuseTheFile() throws Exception {
        String rows = CraftedXlsx.header() + """
                <row r="2"><c r="A2"><v>102</v></c></row>
                <row r="3" hidden="true"><c r="A3"><v>103</v></c></row>
                <row r="4" hidden="1" outlineLevel="1"><c r="A4"><v>104</v></c></row>
                <row r="5" ht="0" customHeight="1"><c r="A5"><v>105</v></c></row>
                <row r="6" hidden="1"><c r="A6" s="2"/></row>
                """;
        Path file = CraftedXlsx.write(dir.resolve("hidden.xlsx"), null, rows, null, false);

        assertThatExceptionOfType(ImportRefusedException.class)
            .isThrownBy(() -> new UploadedWorkbookInspector().checkNoHiddenRows(file))
            .satisfies(ex -> assertThat(ex.refusal()).isEqualTo(ImportRefusal.HIDDEN_ROWS))
            .withMessageContaining("unhide or delete the 3 hidden rows");

        Path visible = CraftedXlsx.write(dir.resolve("visible.xlsx"), null,
                CraftedXlsx.header() + "<row r=\"2\" hidden=\"0\"><c r=\"A2\"><v>102</v></c></row>"
                        + "<row r=\"3\" hidden=\"1\"/>", null, false);
        new UploadedWorkbookInspector().checkNoHiddenRows(visible);
        new UploadedWorkbookInspector().checkLayout(visible);
    }

    /**
     * An inline-string cell that also holds a {@code <v>} saying something else (what POI's setCellValue writes over
     * an inline string) shows one or the other depending on the program: it is read as a value no export wrote, so
     * the row can only be CONTENT_MODIFIED. The same text twice is no ambiguity.
     */
    @Test
    void anInlineStringContradictedByItsValueIsNeverTheExportedText() throws Exception {
        String rows = CraftedXlsx.header() + """
                <row r="2"><c r="A2"><v>101</v></c><c r="C2" t="inlineStr"><v>Edited</v><is><t>Dupont</t></is></c>\
                <c r="D2" t="inlineStr"><v>Zoé</v><is><t>Zoé</t></is></c></row>
                """;
        Path file = CraftedXlsx.write(dir.resolve("ambiguous.xlsx"), null, rows, null, false);

        UploadedRow row = read(file).get(0);
        assertThat(row.lastName()).isNotEqualTo("Dupont").isNotEqualTo("Edited");
        assertThat(row.firstName()).isEqualTo("Zoé");
    }
}
