package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.ProtocolException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The log round trip of {@link LogRoundTripTest} over seeds chosen by jqwik. */
class LogRoundTripFuzzTest {
    @Property(tries = 200)
    void shouldRebuildTheSameDataFromTheLog(@ForAll long seed) throws ProtocolException {
        LogRoundTripTest.checkRoundTrip(seed, 200);
    }
}
