"""`speechsite serve`: build, serve the output on 127.0.0.1, rebuild on change, reload the browser.

    paths.py       URL path → a file inside the output, or nothing (no traversal)
    server.py      the HTTP server: the site under its base path, the 404 page, the injected script
    livereload.py  the change channel (Server-Sent Events) and the script injected into HTML
    livereload.js  the browser side: reload, CSS swap, scroll kept, error overlay
    changes.py     two build markers → which pages changed, which assets were renamed
    watch.py       watchdog → a debouncer that runs one rebuild at a time
    rebuild.py     what a batch of changed files needs: ingest, build, the update to send
    session.py     the command: start, run, stop cleanly

The preview serves the very files `speechsite build` writes (the same build, the same output
folder); the live-reload script exists only in the server's responses, never on disk.
"""
