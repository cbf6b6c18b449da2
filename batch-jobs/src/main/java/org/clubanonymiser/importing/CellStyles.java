package org.clubanonymiser.importing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * How each cell style of the workbook marks a cell to the eye, as far as people mark rows in a spreadsheet instead of
 * deleting them: its fill, its font colour, strikethrough ({@link Look}). Colours are compared as written (the
 * same program writes the same colour the same way), after folding the spellings of "no mark": no fill or a white
 * one, an automatic or black font. Everything else about a style (number format, font, size, borders, alignment)
 * is ignored. Read with StAX from the styles part, which is small (one entry per distinct style). Immutable.
 */
final class CellStyles {

    /** What a style shows: {@code fill} and {@code fontColour} are {@code "none"} / {@code "auto"} when unmarked. */
    record Look(String fill, String fontColour, boolean strike) {

        static final Look PLAIN = new Look("none", "auto", false);

        /** How {@code this} differs from {@code usual}, as the admin would say it; empty when it does not. */
        Optional<String> differenceFrom(Look usual) {
            if (!fill.equals(usual.fill)) {
                return Optional.of("a fill colour");
            }
            if (!fontColour.equals(usual.fontColour)) {
                return Optional.of("a font colour");
            }
            if (strike != usual.strike) {
                return Optional.of(strike ? "strikethrough" : "no strikethrough");
            }
            return Optional.empty();
        }
    }

    private final List<Look> looks;

    private CellStyles(List<Look> looks) {
        this.looks = looks;
    }

    static CellStyles load(UploadedWorkbooks workbook) throws IOException {
        Optional<String> part = workbook.stylesPart();
        if (part.isEmpty()) {
            return new CellStyles(List.of());
        }
        List<String> fills = new ArrayList<>();
        List<String[]> fonts = new ArrayList<>();
        List<Look> looks = new ArrayList<>();
        XMLStreamReader reader = workbook.parse(part.get());
        try {
            String section = "";
            String pattern = null;
            String foreground = null;
            String background = null;
            String[] font = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String element = reader.getLocalName();
                    switch (element) {
                        case "fills", "fonts", "cellXfs", "cellStyleXfs", "dxfs" -> section = element;
                        case "fill" -> {
                            pattern = "none";
                            foreground = null;
                            background = null;
                        }
                        case "patternFill" -> pattern = Optional
                            .ofNullable(UploadedWorkbooks.attribute(reader, "patternType")).orElse("none");
                        case "gradientFill" -> pattern = "gradient";
                        case "fgColor" -> foreground = colour(reader);
                        case "bgColor" -> background = colour(reader);
                        case "font" -> font = new String[] { "auto", "false" };
                        case "color" -> {
                            if ("fonts".equals(section) && font != null) {
                                font[0] = fontColour(colour(reader));
                            }
                        }
                        case "strike" -> {
                            if ("fonts".equals(section) && font != null) {
                                String val = UploadedWorkbooks.attribute(reader, "val");
                                font[1] = Boolean.toString(val == null || UploadedWorkbooks.isTrue(val));
                            }
                        }
                        case "xf" -> {
                            if ("cellXfs".equals(section)) {
                                String[] xfFont = at(fonts, index(reader, "fontId"), new String[] { "auto", "false" });
                                looks.add(new Look(at(fills, index(reader, "fillId"), "none"), xfFont[0],
                                        Boolean.parseBoolean(xfFont[1])));
                            }
                        }
                        default -> {
                        }
                    }
                }
                else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "fill" -> {
                            if ("fills".equals(section)) {
                                fills.add(fill(pattern, foreground, background));
                            }
                        }
                        case "font" -> {
                            if ("fonts".equals(section)) {
                                fonts.add(font);
                            }
                            font = null;
                        }
                        case "fills", "fonts", "cellXfs", "cellStyleXfs", "dxfs" -> section = "";
                        default -> {
                        }
                    }
                }
            }
        }
        catch (XMLStreamException | NumberFormatException ex) {
            throw new IllegalStateException("The styles cannot be parsed", ex);
        }
        finally {
            UploadedWorkbooks.close(reader);
        }
        return new CellStyles(List.copyOf(looks));
    }

    /** The look of a cell style index; an index the table lacks reads as the default style, like programs do. */
    Look look(int style) {
        if (style >= 0 && style < looks.size()) {
            return looks.get(style);
        }
        return looks.isEmpty() ? Look.PLAIN : looks.get(0);
    }

    private static int index(XMLStreamReader reader, String attribute) {
        String value = UploadedWorkbooks.attribute(reader, attribute);
        return value == null ? 0 : Integer.parseInt(value.trim());
    }

    private static <T> T at(List<T> list, int index, T otherwise) {
        return index >= 0 && index < list.size() ? list.get(index) : otherwise;
    }

    private static String fill(String pattern, String foreground, String background) {
        if ("none".equals(pattern)) {
            return "none";
        }
        if ("solid".equals(pattern)) {
            return foreground == null || isWhite(foreground) ? "none" : "solid " + foreground;
        }
        return pattern + " " + foreground + " " + background;
    }

    private static boolean isWhite(String colour) {
        return "rgb FFFFFF".equals(colour) || "theme 0".equals(colour) || "indexed 9".equals(colour)
                || "indexed 65".equals(colour);
    }

    private static String fontColour(String colour) {
        if (colour == null || "auto".equals(colour) || "rgb 000000".equals(colour) || "theme 1".equals(colour)
                || "indexed 8".equals(colour) || "indexed 64".equals(colour)) {
            return "auto";
        }
        return colour;
    }

    /** A colour element as {@code rgb RRGGBB}, {@code theme n[ tint t]}, {@code indexed n} or {@code auto}. */
    private static String colour(XMLStreamReader reader) {
        if (UploadedWorkbooks.isTrue(UploadedWorkbooks.attribute(reader, "auto"))) {
            return "auto";
        }
        String tint = UploadedWorkbooks.attribute(reader, "tint");
        String tinted = tint == null || Double.parseDouble(tint) == 0 ? "" : " tint " + tint;
        String rgb = UploadedWorkbooks.attribute(reader, "rgb");
        if (rgb != null) {
            String hex = rgb.trim().toUpperCase(Locale.ROOT);
            // ARGB as Excel writes it, or RGB: the alpha byte is ignored by every program.
            return "rgb " + (hex.length() == 8 ? hex.substring(2) : hex) + tinted;
        }
        String theme = UploadedWorkbooks.attribute(reader, "theme");
        if (theme != null) {
            return "theme " + theme.trim() + tinted;
        }
        String indexed = UploadedWorkbooks.attribute(reader, "indexed");
        return indexed == null ? "auto" : "indexed " + indexed.trim();
    }
}
