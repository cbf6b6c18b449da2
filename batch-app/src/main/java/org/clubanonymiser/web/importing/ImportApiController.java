package org.clubanonymiser.web.importing;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

import org.clubanonymiser.web.Downloads;
import org.clubanonymiser.web.ServerMode;

import org.springframework.core.io.Resource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /api/imports}: see docs/web-api.md. */
@ServerMode
@RestController
@RequestMapping("/api/imports")
class ImportApiController {

    static final MediaType XLSX = MediaType
        .parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final Imports imports;

    ImportApiController(Imports imports) {
        this.imports = imports;
    }

    @GetMapping
    List<ImportView> list(@RequestParam(required = false) String status,
            @RequestParam(required = false) Long exportId, @RequestParam(required = false) Long clubId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return imports.list(status, exportId, clubId, from, to);
    }

    /** Multipart field {@code file}; {@code dryRun=true} for a dry run. Returns at once (202). */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ImportView> upload(@RequestPart(name = "file", required = false) MultipartFile file,
            @RequestParam(defaultValue = "false") boolean dryRun) {
        ImportView view = imports.upload(file, dryRun);
        return ResponseEntity.accepted().location(URI.create("/api/imports/" + view.id())).body(view);
    }

    @GetMapping("/{id}")
    ImportView get(@PathVariable long id) {
        return imports.get(id);
    }

    @GetMapping("/{id}/errors")
    ResponseEntity<Resource> errors(@PathVariable long id) {
        return Downloads.attachment(imports.errorFile(id), XLSX);
    }

    @PostMapping("/{id}/restart")
    ResponseEntity<ImportView> restart(@PathVariable long id) {
        return ResponseEntity.accepted().body(imports.restart(id));
    }
}
