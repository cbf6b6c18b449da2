package org.clubanonymiser.support.database;

import java.util.ArrayList;
import java.util.List;

/**
 * IN lists the product binds ({@code in (:ids)}) hold at most {@value #MAX} values: Oracle refuses a longer list
 * (ORA-01795), whatever H2 and PostgreSQL accept. A list that can grow past it is bound in slices of this size.
 */
public final class InLists {

    /** Oracle's limit on the expressions of one IN list. */
    public static final int MAX = 1000;

    private InLists() {
    }

    /** {@code values} in consecutive slices of at most {@link #MAX}, in order; none for an empty list. */
    public static <T> List<List<T>> slices(List<T> values) {
        List<List<T>> slices = new ArrayList<>((values.size() + MAX - 1) / MAX);
        for (int from = 0; from < values.size(); from += MAX) {
            slices.add(values.subList(from, Math.min(from + MAX, values.size())));
        }
        return slices;
    }
}
