package io.github.jglommio.channels;

/**
 * Thrown when a message is sent into a channel that was closed: Glommio's
 * {@code GlommioError::Closed(ResourceType::Channel(item))}. The message was not delivered; unlike
 * Glommio, the exception does not carry it back, since the caller still holds the reference it
 * passed.
 *
 * {@snippet :
 * LocalChannel<String> ch = LocalChannel.newBounded(8);
 * ch.close();
 * try {
 *     ch.send("late");
 * } catch (ChannelClosedException e) {
 *     // nobody will receive "late"
 * }
 * }
 *
 * <p>It is an {@link IllegalStateException} (the JDK's {@code ClosedSelectorException} and
 * {@code ClosedWatchServiceException} follow the same convention): sending after close is a
 * protocol error of the caller, not an I/O failure. Full channels are never reported with an
 * exception; {@link LocalChannel#trySend} returns {@code false} instead.
 */
public class ChannelClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and why, e.g. {@code "LocalChannel.send: the channel is closed"}
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
