package io.github.jglommio.reactor;

import io.github.jglommio.sys.NativeMemory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Small fixed-size native blocks (256 bytes, 64-byte aligned) for the structures the kernel reads
 * while a task is parked: timespecs of linked timeouts, socket addresses. Carved from 64 KiB chunks,
 * recycled through a free list, freed with the reactor. Owner thread only.
 */
public final class SmallBlocks implements AutoCloseable {

    /** Size of every block. */
    public static final int BLOCK = 256;
    private static final int CHUNK = 64 << 10;

    private final List<MemorySegment> chunks = new ArrayList<>();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();

    /** A zeroed block of {@link #BLOCK} bytes. */
    public MemorySegment allocate() {
        MemorySegment b = free.pollFirst();
        if (b == null) {
            MemorySegment chunk = NativeMemory.allocate(CHUNK, 64);
            chunks.add(chunk);
            for (long off = BLOCK; off < CHUNK; off += BLOCK) {
                free.addLast(chunk.asSlice(off, BLOCK));
            }
            b = chunk.asSlice(0, BLOCK);
        }
        b.fill((byte) 0);
        return b;
    }

    /** Returns a block; only once no operation uses it. */
    public void free(MemorySegment block) {
        free.addFirst(block);
    }

    @Override
    public void close() {
        for (MemorySegment c : chunks) {
            NativeMemory.free(c);
        }
        chunks.clear();
        free.clear();
    }
}
