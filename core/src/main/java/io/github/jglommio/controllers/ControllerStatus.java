package io.github.jglommio.controllers;

import io.github.jglommio.Shares;

/**
 * Whether a controller sets its queue's shares itself, or was {@linkplain DeadlineQueue#disable
 * disabled} in favour of fixed shares. Glommio's {@code ControllerStatus}.
 *
 * {@snippet :
 * String what = switch (queue.status()) {
 *     case ControllerStatus.Enabled e -> "automatic";
 *     case ControllerStatus.Disabled(int shares) -> "fixed at " + shares;
 * };
 * }
 */
public sealed interface ControllerStatus permits ControllerStatus.Enabled, ControllerStatus.Disabled {

    /** The controller is on (the initial status). */
    ControllerStatus ENABLED = new Enabled();

    /** The controller computes the shares. */
    record Enabled() implements ControllerStatus {
    }

    /**
     * The controller is off and the queue has fixed shares.
     *
     * @param shares the fixed shares, 1..1000
     */
    record Disabled(int shares) implements ControllerStatus {
        /**
         * Checks the shares.
         *
         * @throws IllegalArgumentException when {@code shares} is outside 1..1000
         */
        public Disabled {
            if (shares < Shares.MIN || shares > Shares.MAX) {
                throw new IllegalArgumentException("disabled controller shares must be between "
                        + Shares.MIN + " and " + Shares.MAX + ", got " + shares);
            }
        }
    }
}
