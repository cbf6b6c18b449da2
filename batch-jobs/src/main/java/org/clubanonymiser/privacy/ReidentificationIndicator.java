package org.clubanonymiser.privacy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.clubanonymiser.anonymisation.CreationDatePrecision;

/**
 * The re-identification indicator of a report, k-anonymity style: anonymised members are grouped by the
 * quasi-identifiers they keep (club × creation date at {@code precision} × status); {@code k} is the size of the
 * smallest group holding one of the report's members. Someone who knows a person's club and joining date can narrow
 * that person's anonymised record down to a group of {@code k} rows at best: {@code k = 1} means some record is
 * singled out by these facts alone. Group sizes count every anonymised member of the club, not only the report's:
 * that is what a reader of the database sees.
 *
 * @param precision              creation-date precision the groups were formed at
 * @param members                the report's anonymised members (each in exactly one group)
 * @param groups                 groups holding at least one of them
 * @param k                      smallest of those groups (0 when there is none)
 * @param smallGroupSize         threshold of a "small" group
 * @param smallGroups            groups smaller than {@code smallGroupSize}
 * @param membersInSmallGroups   the report's members in those groups
 * @param distribution           groups by size band ({@code 1}, {@code 2-4}, {@code 5-9}, {@code 10-49}, {@code 50+})
 */
public record ReidentificationIndicator(CreationDatePrecision precision, long members, long groups, long k,
        int smallGroupSize, long smallGroups, long membersInSmallGroups, Map<String, Long> distribution) {

    static final String[] BANDS = { "1", "2-4", "5-9", "10-49", "50+" };

    public ReidentificationIndicator {
        distribution = Map.copyOf(distribution);
    }

    /** Collects the groups one at a time (a report over millions of members streams them). Not thread-safe. */
    public static final class Builder {

        private final CreationDatePrecision precision;

        private final int smallGroupSize;

        private long members;

        private long groups;

        private long k = Long.MAX_VALUE;

        private long smallGroups;

        private long membersInSmallGroups;

        private final long[] bands = new long[BANDS.length];

        public Builder(CreationDatePrecision precision, int smallGroupSize) {
            if (smallGroupSize < 2) {
                throw new IllegalArgumentException("A small group is smaller than at least 2");
            }
            this.precision = precision;
            this.smallGroupSize = smallGroupSize;
        }

        /**
         * @param size    anonymised members in the group
         * @param inScope how many of them the report covers (groups with none are not the report's)
         */
        public Builder group(long size, long inScope) {
            if (inScope < 0 || size < inScope) {
                throw new IllegalArgumentException("A group of " + size + " cannot hold " + inScope
                        + " of the report's members");
            }
            if (inScope == 0) {
                return this;
            }
            members += inScope;
            groups++;
            k = Math.min(k, size);
            if (size < smallGroupSize) {
                smallGroups++;
                membersInSmallGroups += inScope;
            }
            bands[band(size)]++;
            return this;
        }

        public ReidentificationIndicator build() {
            Map<String, Long> distribution = new LinkedHashMap<>();
            for (int i = 0; i < BANDS.length; i++) {
                distribution.put(BANDS[i], bands[i]);
            }
            return new ReidentificationIndicator(precision, members, groups, groups == 0 ? 0 : k, smallGroupSize,
                    smallGroups, membersInSmallGroups, distribution);
        }

        private static int band(long size) {
            if (size == 1) {
                return 0;
            }
            if (size < 5) {
                return 1;
            }
            if (size < 10) {
                return 2;
            }
            return size < 50 ? 3 : 4;
        }
    }

    /** The size bands in order (a {@code Map.copyOf} does not keep it). */
    public static String[] bands() {
        return BANDS.clone();
    }
}
