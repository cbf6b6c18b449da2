package org.clubanonymiser.support.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import static org.assertj.core.api.Assertions.assertThat;

class StorageLayoutTests {

    @TempDir
    Path root;

    @Test
    void sweepsTheTempDirsOfDeadProcessesOnly() throws IOException {
        Path deadWithLock = Files.createDirectories(root.resolve("tmp/p-dead"));
        Files.writeString(deadWithLock.resolve(".lock"), "");
        Files.writeString(deadWithLock.resolve("half-written.xlsx"), "personal data");
        Path deadWithoutLock = Files.createDirectories(root.resolve("tmp/p-older"));
        Files.writeString(deadWithoutLock.resolve("sheet.xml.gz"), "personal data");

        StorageLayout alive = new StorageLayout(root);
        Path aliveTemp = alive.newTempFile("export-", ".xlsx");

        StorageLayout starting = new StorageLayout(root);
        assertThat(starting.sweepOrphans()).isEqualTo(2);

        assertThat(deadWithLock).doesNotExist();
        assertThat(deadWithoutLock).doesNotExist();
        assertThat(aliveTemp).exists();
    }

    @Test
    void destroyRemovesTheProcessTempDir() throws IOException {
        StorageLayout storage = new StorageLayout(root);
        Path file = storage.newTempFile("x", ".tmp");
        Path dir = storage.tempDir();
        storage.destroy();
        assertThat(file).doesNotExist();
        assertThat(dir).doesNotExist();
    }

    @Test
    void createsItsFoldersUnderTheRoot() {
        StorageLayout storage = new StorageLayout(root);
        assertThat(storage.exportsDir()).isDirectory().startsWith(root);
        assertThat(storage.errorsDir()).isDirectory().startsWith(root);
        assertThat(storage.uploadsDir()).isDirectory().startsWith(root);
        assertThat(storage.tempDir()).isDirectory().startsWith(root.resolve("tmp"));
    }
}
