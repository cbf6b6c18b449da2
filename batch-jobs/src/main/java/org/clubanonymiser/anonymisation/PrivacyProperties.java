package org.clubanonymiser.anonymisation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What is kept of an anonymised member, and how the privacy report judges it ({@code anonymiser.privacy.*};
 * docs/privacy.md).
 *
 * @param creationDatePrecision {@code EXACT} (default: {@code member.created_at} kept as stored), {@code DAY},
 *                              {@code MONTH} or {@code YEAR}: anonymising a member truncates its creation date to
 *                              this precision, in the anonymising transaction; the privacy report computes its
 *                              re-identification indicator on the values so kept
 * @param smallGroupSize        the privacy report counts the groups of anonymised members sharing club, creation date
 *                              and status that are smaller than this (default 5)
 */
@Validated
@ConfigurationProperties("anonymiser.privacy")
public record PrivacyProperties(
        @NotNull @DefaultValue("EXACT") CreationDatePrecision creationDatePrecision,
        @Min(2) @Max(1000) @DefaultValue("5") int smallGroupSize) {
}
