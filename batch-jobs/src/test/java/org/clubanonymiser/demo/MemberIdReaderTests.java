package org.clubanonymiser.demo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

class MemberIdReaderTests {

    @Test
    void readsIdsOneToMembersThenEnds() throws Exception {
        MemberIdReader reader = new MemberIdReader("demoDataMemberReader", 3);
        reader.open(new ExecutionContext());

        assertThat(readAll(reader)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aRestartContinuesAfterTheLastSavedItem() throws Exception {
        ExecutionContext context = new ExecutionContext();
        MemberIdReader first = new MemberIdReader("demoDataMemberReader", 10);
        first.open(context);
        first.read();
        first.read();
        first.read();
        first.update(context);
        first.close();

        MemberIdReader restarted = new MemberIdReader("demoDataMemberReader", 10);
        restarted.open(context);

        assertThat(readAll(restarted)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(context.getInt("demoDataMemberReader.read.count")).isEqualTo(3);
    }

    private static List<Long> readAll(MemberIdReader reader) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (Long id = reader.read(); id != null; id = reader.read()) {
            ids.add(id);
        }
        return ids;
    }
}
