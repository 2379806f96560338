/**
 * Command metadata ({@link io.github.jglommio.kv.command.CommandSpec},
 * {@link io.github.jglommio.kv.command.CommandTable}) and execution of the commands that touch one
 * shard's keyspace ({@link io.github.jglommio.kv.command.KeyspaceCommands}), including the
 * deterministic form of each write for the append-only log and the commands that rebuild a
 * keyspace ({@link io.github.jglommio.kv.command.LogRewriter}).
 *
 * {@snippet :
 * CommandSpec spec = CommandTable.lookup(cmd);             // null: unknown command
 * if (spec == null) {
 *     out.error(CommandTable.unknownCommandError(cmd));
 * } else if (spec.routing() == Routing.KEY) {
 *     // on the shard that owns cmd.arg(spec.firstKey()):
 *     Command logged = commands.execute(spec, cmd, keyspace, out);
 *     if (logged != null) {
 *         log.append(RespWriter.encodeCommand(logged));
 *     }
 * }
 * }
 *
 * <p>Threading model. {@code CommandSpec} and {@code CommandTable} are immutable and shared by
 * all executors. A {@code KeyspaceCommands} instance holds a random generator and belongs to one
 * shard's executor, like the {@code Keyspace} it is applied to.
 */
package io.github.jglommio.kv.command;
