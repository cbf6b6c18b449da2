package org.clubanonymiser.web;

import java.nio.file.Path;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** An answer the browser saves as a file under the given name (export zips, error files, report CSVs). */
public final class Downloads {

    private Downloads() {
    }

    /** The file, saved under its own name. */
    public static ResponseEntity<Resource> attachment(Path file, MediaType type) {
        return attachment(file.getFileName().toString(), type, new FileSystemResource(file));
    }

    public static <T> ResponseEntity<T> attachment(String fileName, MediaType type, T body) {
        return ResponseEntity.ok()
            .contentType(type)
            .header(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment().filename(fileName).build().toString())
            .body(body);
    }
}
