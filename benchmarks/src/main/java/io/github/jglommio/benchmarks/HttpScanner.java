package io.github.jglommio.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.1 side of the {@code net} suite's servers, the same for every peer so that the peers
 * differ by their transport only: a request ends at its blank line ({@code CRLF CRLF}; wrk's GETs
 * carry no body), and each one gets {@link #RESPONSE}, a fixed keep-alive "Hello, World!" with
 * Content-Length. The scanner keeps its match state across reads, so a request split over two reads
 * counts once. Single thread: one scanner per connection.
 */
final class HttpScanner {

    /** The response to every request (HTTP/1.1 is keep-alive unless a side says close). */
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "Server: jglommio-bench\r\n"
            + "\r\n"
            + "Hello, World!").getBytes(StandardCharsets.US_ASCII);

    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    /** How many bytes of {@link #END} the input seen so far ends with. */
    private int matched;

    /** Scans {@code length} bytes of {@code b} from {@code offset}; returns the requests they complete. */
    int feed(byte[] b, int offset, int length) {
        int requests = 0;
        for (int i = offset; i < offset + length; i++) {
            requests += feed(b[i]);
        }
        return requests;
    }

    /** Scans one byte; returns 1 when it completes a request, else 0. */
    int feed(byte x) {
        if (x == END[matched]) {
            if (++matched == END.length) {
                matched = 0;
                return 1;
            }
        } else {
            matched = x == '\r' ? 1 : 0;
        }
        return 0;
    }

    /** {@code requests} copies of {@link #RESPONSE} in one array (usually one: wrk does not pipeline). */
    static byte[] responses(int requests) {
        if (requests == 1) {
            return RESPONSE;
        }
        byte[] all = new byte[RESPONSE.length * requests];
        for (int i = 0; i < requests; i++) {
            System.arraycopy(RESPONSE, 0, all, i * RESPONSE.length, RESPONSE.length);
        }
        return all;
    }
}
