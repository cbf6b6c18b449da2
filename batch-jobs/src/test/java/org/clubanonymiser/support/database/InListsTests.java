package org.clubanonymiser.support.database;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InListsTests {

    @Test
    void slicesAtOraclesLimitKeepingEveryValueOnceInOrder() {
        List<Long> values = LongStream.rangeClosed(1, 2001).boxed().toList();

        List<List<Long>> slices = InLists.slices(values);

        assertThat(slices).extracting(List::size).containsExactly(1000, 1000, 1);
        assertThat(slices.stream().flatMap(List::stream).toList()).isEqualTo(values);
        assertThat(InLists.slices(values.subList(0, 1000))).hasSize(1);
        assertThat(InLists.slices(List.of())).isEmpty();
    }
}
