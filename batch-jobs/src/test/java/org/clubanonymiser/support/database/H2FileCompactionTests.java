package org.clubanonymiser.support.database;

import java.time.Duration;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class H2FileCompactionTests {

    static final ResidueProperties PROPERTIES = new ResidueProperties(Duration.ofMinutes(1), Duration.ofMinutes(10),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));

    static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 7, 12, 0);

    @Test
    void compactsOnlyLocalFileDatabases() {
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:file:./data/anonymiser")).isTrue();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:./data/anonymiser")).isTrue();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:mem:anonymiser_1")).isFalse();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:tcp://localhost:9092/./data/anonymiser")).isFalse();
        assertThat(H2FileCompaction.isLocalFile("jdbc:postgresql://localhost/anonymiser")).isFalse();
    }

    @Test
    void dueOnceTheAnonymisationsWereQuietForTheDelay() {
        assertThat(due(NOW.minusSeconds(90), NOW.minusSeconds(61))).isTrue();
        assertThat(due(NOW.minusSeconds(90), NOW.minusSeconds(60))).isTrue();
        assertThat(due(NOW.minusSeconds(90), NOW.minusSeconds(59))).isFalse();
    }

    @Test
    void dueAtTheMaximumDelayEvenIfAnonymisationsKeepComing() {
        assertThat(due(NOW.minusMinutes(9), NOW.minusSeconds(1))).isFalse();
        assertThat(due(NOW.minusMinutes(10), NOW.minusSeconds(1))).isTrue();
    }

    static boolean due(LocalDateTime oldest, LocalDateTime newest) {
        return H2FileCompaction.isDue(new ResidueMarkers.Pending(3, 42, oldest, newest), PROPERTIES, NOW);
    }
}
