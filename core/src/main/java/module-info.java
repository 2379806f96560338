/**
 * jglommio: thread-per-core, io_uring-based runtime. Exports the public API only; {@code sys},
 * {@code reactor} and {@code loom} are internal.
 */
module io.github.jglommio {
    requires jdk.jfr;
    requires java.management;

    exports io.github.jglommio;
    exports io.github.jglommio.timer;
    exports io.github.jglommio.controllers;
    exports io.github.jglommio.io;
    exports io.github.jglommio.net;
    exports io.github.jglommio.channels;
    exports io.github.jglommio.sync;
}
