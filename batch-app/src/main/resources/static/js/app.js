// Club Anonymiser pages: the import drop zone and delete confirmations. No build step, no dependency (htmx aside).
(function () {
    'use strict';
    document.addEventListener('submit', function (event) {
        var message = event.target.getAttribute && event.target.getAttribute('data-confirm');
        if (message && !window.confirm(message)) {
            event.preventDefault();
        }
    }, true);

    var zone = document.getElementById('drop-zone');
    var input = document.getElementById('import-file');
    var name = document.getElementById('drop-name');
    if (!zone || !input) {
        return;
    }
    function show() {
        name.textContent = input.files && input.files.length ? input.files[0].name : '';
    }
    input.addEventListener('change', show);
    ['dragenter', 'dragover'].forEach(function (type) {
        zone.addEventListener(type, function (event) {
            event.preventDefault();
            zone.classList.add('over');
        });
    });
    ['dragleave', 'drop'].forEach(function (type) {
        zone.addEventListener(type, function () {
            zone.classList.remove('over');
        });
    });
    input.form.addEventListener('submit', function (event) {
        var max = Number(input.getAttribute('data-max-size'));
        if (max && input.files.length && input.files[0].size > max) {
            event.preventDefault();
            window.alert(input.getAttribute('data-too-large'));
        }
    });
    zone.addEventListener('drop', function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
            input.files = event.dataTransfer.files;
            show();
        }
    });
})();
