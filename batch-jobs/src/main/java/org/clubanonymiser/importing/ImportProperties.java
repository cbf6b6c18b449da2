package org.clubanonymiser.importing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code importJob} ({@code anonymiser.import.*}).
 *
 * @param chunkSize   rows validated and anonymised per transaction (default 500; at most 1000, the largest IN list
 *                    every supported database accepts)
 * @param skipLimit   rejected rows tolerated before the import fails (default 1,000,000: every rejection is recorded
 *                    and reported, so the limit only guards against a file that is not what it claims to be)
 * @param maxFileSize largest accepted upload (default 200MB; larger is {@code UNSAFE_FILE})
 * @param zip         limits on the workbook's zip container, checked before any XML is parsed ({@code UNSAFE_FILE})
 * @param completionSlice rows of the export's manifest (and of the import's claims) erased per transaction when the
 *                    import completes (default 10,000: bounds the transaction's undo, which H2 keeps on the heap)
 */
@Validated
@ConfigurationProperties("anonymiser.import")
public record ImportProperties(
        @Min(1) @Max(1000) @DefaultValue("500") int chunkSize,
        @Min(0) @DefaultValue("1000000") long skipLimit,
        @NotNull @DefaultValue("200MB") DataSize maxFileSize,
        @Valid @NotNull @DefaultValue Zip zip,
        @Min(1) @DefaultValue("10000") int completionSlice) {

    /**
     * @param maxEntries      most entries (parts) in the zip (default 1000)
     * @param maxEntrySize    largest uncompressed entry (default 2GB: a 1M-row sheet is about 0.5GB of XML)
     * @param minInflateRatio smallest compressed/uncompressed ratio of an entry, the zip-bomb guard (default 0.01,
     *                        POI's own default: real sheets compress about 10 to 20 times)
     */
    public record Zip(
            @Min(4) @DefaultValue("1000") int maxEntries,
            @NotNull @DefaultValue("2GB") DataSize maxEntrySize,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.01") double minInflateRatio) {
    }
}
