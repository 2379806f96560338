package io.github.jglommio;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.timer.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A task cancelled while parked on an io_uring operation: the kernel op is cancelled, the slot freed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InflightCancellationTest {

    @Test
    void shouldCancelTheKernelOperationAndFreeItsSlot() {
        LocalExecutor.create().run(() -> {
            Reactor reactor = Reactor.current();
            int before = reactor.operationsInUse();
            Task<Void> reader = Task.local(ReactorAccess::blockOnIdleEventfd);
            Timer.sleep(Duration.ofMillis(5));
            assertEquals(before + 1, reactor.operationsInUse(), "the read is in flight");
            reader.cancel();
            assertThrows(CancellationException.class, reader::join);
            assertEquals(before, reactor.operationsInUse(), "the slot was released after the CQE");
            return null;
        });
    }

    @Test
    void shouldFailFastWhenAlreadyCancelled() {
        LocalExecutor.create().run(() -> {
            Thread.currentThread().interrupt();
            try {
                assertThrows(CancellationException.class, IoUring::nop);
            } finally {
                Thread.interrupted();
            }
            IoUring.nop(); // the executor is fine afterwards
            return null;
        });
    }
}
