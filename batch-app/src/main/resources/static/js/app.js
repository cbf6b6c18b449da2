// Club Anonymiser pages: delete confirmations, the import drop zone and live progress. No build step, no dependency
// (htmx aside). Listeners are delegated to the document: htmx renders parts of a page again (a list, an import's panel).
(function () {
    'use strict';
    document.addEventListener('submit', function (event) {
        var form = event.target;
        var message = form.getAttribute && form.getAttribute('data-confirm');
        if (message && !window.confirm(message)) {
            event.preventDefault();
            return;
        }
        var input = form.querySelector && form.querySelector('#import-file');
        var max = input ? Number(input.getAttribute('data-max-size')) : 0;
        if (max && input.files.length && input.files[0].size > max) {
            event.preventDefault();
            window.alert(input.getAttribute('data-too-large'));
        }
    }, true);

    // The drop zone: a file dropped on it goes into the form's file input, and its name is shown.
    function zoneOf(event) {
        return event.target.closest ? event.target.closest('#drop-zone') : null;
    }
    function showName(input) {
        var name = document.getElementById('drop-name');
        if (name) {
            name.textContent = input.files && input.files.length ? input.files[0].name : '';
        }
    }
    document.addEventListener('change', function (event) {
        if (event.target.id === 'import-file') {
            showName(event.target);
        }
    });
    ['dragenter', 'dragover'].forEach(function (type) {
        document.addEventListener(type, function (event) {
            var zone = zoneOf(event);
            if (zone) {
                event.preventDefault();
                zone.classList.add('over');
            }
        });
    });
    document.addEventListener('dragleave', function (event) {
        var zone = zoneOf(event);
        if (zone) {
            zone.classList.remove('over');
        }
    });
    document.addEventListener('drop', function (event) {
        var zone = zoneOf(event);
        if (!zone) {
            return;
        }
        event.preventDefault();
        zone.classList.remove('over');
        var input = document.getElementById('import-file');
        if (input && event.dataTransfer && event.dataTransfer.files.length) {
            input.files = event.dataTransfer.files;
            showName(input);
        }
    });

    // Live progress: a running export or import names its JSON resource in data-poll. Every second its bar follows
    // the API's "progress" (and its counts theirs); once its status is no longer RUNNING, the part of the page around it (the element with
    // hx-trigger="poll-ended") is rendered again by the server, with the final state and counts.
    var POLL_MS = 1000;
    function pollOnce() {
        var cells = Array.prototype.slice.call(document.querySelectorAll('[data-poll]'));
        return Promise.all(cells.map(function (cell) {
            return fetch(cell.getAttribute('data-poll'), { headers: { 'Accept': 'application/json' } })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (item) {
                    if (!item) {
                        return;
                    }
                    var bar = cell.querySelector('progress');
                    var pct = cell.querySelector('.pct');
                    if (item.progress !== null && item.progress !== undefined) {
                        if (bar) {
                            bar.value = item.progress;
                        }
                        if (pct) {
                            pct.textContent = item.progress + ' %';
                        }
                    }
                    // Counts follow too: elements named data-field="<JSON field>" within the same row or panel.
                    var scope = cell.closest('[data-poll-scope]');
                    if (scope) {
                        scope.querySelectorAll('[data-field]').forEach(function (field) {
                            var value = item[field.getAttribute('data-field')];
                            if (value !== null && value !== undefined) {
                                field.textContent = value;
                            }
                        });
                    }
                    if (item.status !== 'RUNNING') {
                        cell.removeAttribute('data-poll');
                        var part = cell.closest('[hx-trigger="poll-ended"]');
                        if (part && window.htmx) {
                            window.htmx.trigger(part, 'poll-ended');
                        }
                        else {
                            window.location.reload();
                        }
                    }
                })
                .catch(function () { /* the next round tries again */ });
        }));
    }
    function loop() {
        pollOnce().then(function () { window.setTimeout(loop, POLL_MS); });
    }
    window.setTimeout(loop, POLL_MS);
})();
