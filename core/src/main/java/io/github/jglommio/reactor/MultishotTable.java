package io.github.jglommio.reactor;

import java.util.Arrays;

/**
 * The reactor's live multishot operations, indexed by id (the low 32 bits of their {@code user_data});
 * free ids are null and reused before new ones are taken. Owner thread only.
 */
final class MultishotTable {

    private Reactor.MultishotHandler[] handlers = new Reactor.MultishotHandler[16];
    private int[] freeIds = new int[0];
    private int freeCount;
    private int nextId;

    /** Registers {@code handler} and returns its id. */
    int add(Reactor.MultishotHandler handler) {
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = nextId++;
            if (id == handlers.length) {
                handlers = Arrays.copyOf(handlers, id * 2);
            }
        }
        handlers[id] = handler;
        return id;
    }

    /** True while {@code id} names an operation whose final completion has not arrived. */
    boolean isLive(int id) {
        return id >= 0 && id < handlers.length && handlers[id] != null;
    }

    /**
     * Hands one completion to {@code id}'s handler; the final one ({@code more} false) frees the id
     * first, so the handler may arm a new operation that reuses it.
     */
    void complete(int id, int res, int flags, boolean more) {
        Reactor.MultishotHandler h = id < 0 || id >= handlers.length ? null : more ? handlers[id] : end(id);
        if (h != null) {
            h.onCompletion(res, flags, more);
        }
    }

    /** Frees {@code id} after its final completion. */
    private Reactor.MultishotHandler end(int id) {
        Reactor.MultishotHandler h = handlers[id];
        handlers[id] = null;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, Math.max(16, freeCount * 2));
        }
        freeIds[freeCount++] = id;
        return h;
    }
}
