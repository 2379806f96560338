package io.github.jglommio.kv.server;

import io.github.jglommio.kv.store.Databases;
import io.github.jglommio.kv.store.KeyspaceEvents;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One shard's keyspace notifications ({@code notify-keyspace-events}): turns each event its
 * keyspaces report ({@link KeyspaceEvents}) into Redis's messages, {@code __keyspace@<db>__:<key>}
 * with the event and then {@code __keyevent@<db>__:<event>} with the key, and publishes them from
 * this shard, the one that owns the key, as a PUBLISH: its own subscribers get them at once, in
 * place; every other shard gets them in one {@link ShardBatch} of notices per loop turn, queued
 * behind the turn's other batches for that shard, so the messages of one shard reach every
 * subscriber in the order they happened, and those of one key (always the same shard) keep theirs.
 * Nothing waits for the other shards: a notice batch has no reply.
 *
 * <p>Cross-shard commands ({@link CrossShard}) run on a private keyspace at the coordinator: while
 * they do, the events are {@linkplain #capture captured} instead, and each goes with the install
 * message to the shard that owns its key, which publishes it as it installs (so a later command on
 * that key, on its shard, publishes after it). Installs and replays publish nothing of their own.
 *
 * <p>Cost: off (the default), a command pays a field read and a compare per event site, and the
 * flusher one boolean per turn. On, each event makes its two channel names (a few small arrays),
 * asks the server-wide subscription counts whether anyone listens (a map look-up and a glob match
 * per subscribed pattern; nobody: nothing more), delivers to this shard's subscribers (the same
 * glob matches again), and adds two references to one notice batch per other shard (one batch
 * allocated per shard and loop turn), which that shard delivers likewise.
 *
 * <p>Threading: the shard's executor only.
 */
final class KeyspaceNotifier {

    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "__:".getBytes(StandardCharsets.US_ASCII);

    /** A message to publish: a channel and its payload; {@code shard} owns the key it is about. */
    record Notice(int shard, byte[] channel, byte[] message) {
    }

    private final Shard shard;
    private int flags;
    /** Per other shard: the notice batch of this turn not yet sent by the flusher, or null. */
    private final ShardBatch[] open;
    /** Whether some entry of {@link #open} is set: the flusher's check while notifications are off. */
    private boolean anyOpen;
    /** The listener of the shard's own keyspaces: publishes. */
    private final KeyspaceEvents.Listener publisher = (db, event, key) -> emit(db, event, key, null);

    KeyspaceNotifier(Shard shard) {
        this.shard = shard;
        this.open = new ShardBatch[shard.shards];
    }

    /** Turns the classes {@code flags} on (see {@link KeyspaceEvents#parse}); 0 turns notifications off. */
    void setFlags(int flags) {
        this.flags = KeyspaceEvents.effective(flags);
        shard.dbs.setEventListener(this.flags, publisher);
    }

    /** Stops the shard's keyspaces from reporting events until {@link #resume} (an install: its events were captured). */
    void suspend() {
        if (flags != 0) {
            shard.dbs.setEventListener(0, publisher);
        }
    }

    /** Undoes {@link #suspend}. */
    void resume() {
        if (flags != 0) {
            shard.dbs.setEventListener(flags, publisher);
        }
    }

    /**
     * Makes {@code scratch}, the private keyspaces of a cross-shard command, report their events
     * into {@code into} (with the shard that owns each key) instead of publishing them.
     */
    void capture(Databases scratch, List<Notice> into) {
        scratch.setEventListener(flags, (db, event, key) -> emit(db, event, key, into));
    }

    /** @return the classes on (0: none) */
    int flags() {
        return flags;
    }

    /**
     * A key a cross-shard command had gathered alive died before its private keyspace took it: the
     * {@code expired} event that finding it dead makes, into {@code into}.
     */
    void expired(int db, byte[] key, List<Notice> into) {
        if ((flags & KeyspaceEvents.EXPIRED) != 0) {
            emit(db, "expired", key, into);
        }
    }

    /** Event {@code event} on {@code key} of database {@code db}: publishes its messages, or adds them to {@code capture}. */
    private void emit(int db, String event, byte[] key, List<Notice> capture) {
        byte[] name = event.getBytes(StandardCharsets.US_ASCII);
        byte[] dbDigits = Integer.toString(db).getBytes(StandardCharsets.US_ASCII);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            publish(channel(KEYSPACE_PREFIX, dbDigits, key), name, key, capture);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            publish(channel(KEYEVENT_PREFIX, dbDigits, name), key, key, capture);
        }
    }

    private static byte[] channel(byte[] prefix, byte[] db, byte[] tail) {
        byte[] c = new byte[prefix.length + db.length + SUFFIX.length + tail.length];
        System.arraycopy(prefix, 0, c, 0, prefix.length);
        System.arraycopy(db, 0, c, prefix.length, db.length);
        System.arraycopy(SUFFIX, 0, c, prefix.length + db.length, SUFFIX.length);
        System.arraycopy(tail, 0, c, prefix.length + db.length + SUFFIX.length, tail.length);
        return c;
    }

    private void publish(byte[] channel, byte[] message, byte[] key, List<Notice> capture) {
        if (capture != null) {
            capture.add(new Notice(KeyHash.shardOf(key, shard.shards), channel, message));
            return;
        }
        if (!shard.server.pubsubCounts.anyReceiver(channel, false)) {
            return; // nobody listens anywhere, and nobody who subscribed before this saw its confirmation
        }
        deliver(channel, message);
    }

    /** Publishes {@code message} on {@code channel} from this shard: here at once, on the others by this turn's notice batch. */
    private void deliver(byte[] channel, byte[] message) {
        shard.pubsub.deliver(channel, message, false);
        for (int s = 0; s < open.length; s++) {
            if (s == shard.id) {
                continue;
            }
            ShardBatch b = open[s];
            if (b == null) {
                b = ShardBatch.notices(shard.id);
                open[s] = b;
                anyOpen = true;
                shard.send(s, b);
            }
            b.addNotice(channel, message);
        }
    }

    /** The flusher is about to send this turn's batches: later notices go in new ones. */
    void sealed() {
        if (anyOpen) {
            anyOpen = false;
            java.util.Arrays.fill(open, null);
        }
    }

    /** Publishes notices captured elsewhere for keys of this shard, in order (at their install). */
    void publishAll(List<Notice> notices) {
        if (notices == null) {
            return;
        }
        for (Notice n : notices) {
            if (shard.server.pubsubCounts.anyReceiver(n.channel(), false)) {
                deliver(n.channel(), n.message());
            }
        }
    }
}
