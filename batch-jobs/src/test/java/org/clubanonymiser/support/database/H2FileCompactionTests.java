package org.clubanonymiser.support.database;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class H2FileCompactionTests {

    @Test
    void compactsOnlyLocalFileDatabases() {
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:file:./data/anonymiser")).isTrue();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:./data/anonymiser")).isTrue();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:mem:anonymiser_1")).isFalse();
        assertThat(H2FileCompaction.isLocalFile("jdbc:h2:tcp://localhost:9092/./data/anonymiser")).isFalse();
        assertThat(H2FileCompaction.isLocalFile("jdbc:postgresql://localhost/anonymiser")).isFalse();
    }
}
