package org.clubanonymiser.web.export;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

import org.clubanonymiser.exportrecord.ExportStatus;
import org.clubanonymiser.web.Downloads;
import org.clubanonymiser.web.ServerMode;

import org.springframework.core.io.Resource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/exports}: see docs/web-api.md. */
@ServerMode
@RestController
@RequestMapping("/api/exports")
class ExportApiController {

    private final Exports exports;

    ExportApiController(Exports exports) {
        this.exports = exports;
    }

    @GetMapping
    List<ExportView> list(@RequestParam(required = false) String name, @RequestParam(required = false) Long clubId,
            @RequestParam(required = false) ExportStatus status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return exports.list(name, clubId, status, from, to);
    }

    /** Returns at once (202): the export runs in the background; poll {@code GET /api/exports/{id}}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ExportView> create(@RequestBody Exports.NewExport request) {
        ExportView export = exports.create(request);
        return ResponseEntity.accepted().location(URI.create("/api/exports/" + export.id())).body(export);
    }

    @GetMapping("/{id}")
    ExportView get(@PathVariable long id) {
        return exports.get(id);
    }

    @GetMapping("/{id}/file")
    ResponseEntity<Resource> file(@PathVariable long id) {
        return Downloads.attachment(exports.file(id), MediaType.parseMediaType("application/zip"));
    }

    @DeleteMapping("/{id}")
    ExportView delete(@PathVariable long id) {
        return exports.delete(id);
    }
}
