package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * A workbook written part by part, exactly as a test spells each part's XML: to pin how the reader reads each
 * representation other programs write (pretty-printed parts, rich-text runs, custom number formats, comments,
 * styles). Only the Members sheet; the parts' folder layout is Gnumeric's and LibreOffice's.
 */
final class CraftedXlsx {

    static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static final String REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /** Plain styles: 0 default, 1 a custom date format id 100, 2 a yellow fill, 3 red font, 4 strikethrough. */
    static final String STYLES = """
            <?xml version="1.0" encoding="UTF-8"?>
            <styleSheet xmlns="%s">
              <numFmts count="1">
                <numFmt formatCode="yyyy-mm-dd" numFmtId="100"/>
              </numFmts>
              <fonts count="3">
                <font><color rgb="FF000000"/><name val="Sans"/><sz val="10"/><strike val="0"/></font>
                <font><color rgb="FFFF0000"/><name val="Sans"/><sz val="10"/></font>
                <font><name val="Sans"/><sz val="10"/><strike/></font>
              </fonts>
              <fills count="3">
                <fill><patternFill patternType="none"/></fill>
                <fill><patternFill patternType="gray125"/></fill>
                <fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/><bgColor indexed="64"/></patternFill></fill>
              </fills>
              <cellStyleXfs count="1"><xf fontId="1" fillId="2" numFmtId="0"/></cellStyleXfs>
              <cellXfs count="5">
                <xf fontId="0" fillId="0" numFmtId="0" xfId="0"/>
                <xf fontId="0" fillId="0" numFmtId="100" xfId="0" applyNumberFormat="1"/>
                <xf fontId="0" fillId="2" numFmtId="0" xfId="0" applyFill="1"/>
                <xf fontId="1" fillId="0" numFmtId="0" xfId="0" applyFont="1"/>
                <xf fontId="2" fillId="0" numFmtId="0" xfId="0" applyFont="1"/>
              </cellXfs>
            </styleSheet>
            """.formatted(MAIN);

    private CraftedXlsx() {
    }

    /** The header row, as inline strings, for {@link #write}. */
    static String header() {
        StringBuilder row = new StringBuilder("<row r=\"1\">");
        for (int i = 0; i < MembersSheet.HEADERS.size(); i++) {
            row.append("<c r=\"").append((char) ('A' + i)).append("1\" t=\"inlineStr\"><is><t>")
                .append(MembersSheet.HEADERS.get(i)).append("</t></is></c>");
        }
        return row.append("</row>").toString();
    }

    /**
     * @param sharedStrings the {@code <si>} entries, or {@code null} for no table
     * @param sheetXml      the sheet's rows, written inside {@code <sheetData>}
     * @param comments      the {@code <comment>} elements of a comments part, or {@code null}
     */
    static Path write(Path target, String sharedStrings, String sheetXml, String comments, boolean date1904) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(target))) {
            part(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                      <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                      <Default Extension="xml" ContentType="application/xml"/>
                      <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                      <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                      <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
                      <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
                      <Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>
                    </Types>
                    """);
            part(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                      <Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>
                    </Relationships>
                    """.formatted(REL));
            part(zip, "xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <workbook xmlns="%s" xmlns:r="%s">
                      <workbookPr date1904="%s"/>
                      <sheets>
                        <sheet name="%s" sheetId="1" r:id="rId1"/>
                      </sheets>
                    </workbook>
                    """.formatted(MAIN, REL, date1904 ? "1" : "0", MembersSheet.SHEET_NAME));
            part(zip, "xl/_rels/workbook.xml.rels", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                      <Relationship Id="rId1" Type="%1$s/worksheet" Target="worksheets/sheet1.xml"/>
                      <Relationship Id="rId2" Type="%1$s/styles" Target="/xl/styles.xml"/>
                      %2$s
                    </Relationships>
                    """.formatted(REL, sharedStrings == null ? ""
                    : "<Relationship Id=\"rId3\" Type=\"" + REL + "/sharedStrings\" Target=\"sharedStrings.xml\"/>"));
            part(zip, "xl/styles.xml", STYLES);
            if (sharedStrings != null) {
                part(zip, "xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"" + MAIN
                        + "\">\n" + sharedStrings + "\n</sst>\n");
            }
            if (comments != null) {
                part(zip, "xl/worksheets/_rels/sheet1.xml.rels", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                          <Relationship Id="rId1" Type="%s/comments" Target="../comments1.xml"/>
                        </Relationships>
                        """.formatted(REL));
                part(zip, "xl/comments1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<comments xmlns=\"" + MAIN
                        + "\"><authors><author>A</author></authors><commentList>" + comments
                        + "</commentList></comments>");
            }
            part(zip, "xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\""
                    + MAIN + "\">\n  <sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\""
                    + " activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>\n"
                    + "  <cols><col min=\"1\" max=\"8\" width=\"30\" customWidth=\"1\"/></cols>\n  <sheetData>\n"
                    + sheetXml + "\n  </sheetData>\n</worksheet>\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private static void part(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
