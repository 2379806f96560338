package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;

/**
 * Finds the key arguments of a command whose keys are not a fixed first..last range, such as
 * {@code ZUNIONSTORE dest numkeys key...} or {@code LMPOP numkeys key... LEFT}.
 */
@FunctionalInterface
interface KeyFinder {
    /**
     * Returns the argument indexes of the keys, in order.
     *
     * @param c the command, its arity already checked
     * @return the indexes (1 = first argument after the name)
     * @throws CommandError if the arguments that locate the keys are malformed; the server then
     *     runs the command where it is, and the handler reports the error
     */
    int[] keys(Command c);
}
