package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.util.Locale;

/**
 * What the container commands (CONFIG, CLIENT, COMMAND, SLOWLOG, LATENCY) share: the arity check of
 * a subcommand, with Redis's errors, and the HELP reply's frame. Stateless.
 */
final class Subcommands {

    private Subcommands() {
    }

    /**
     * Checks {@code c}'s subcommand (argument 1) against its arity in {@link CommandInfo}; appends
     * Redis's error and returns false when the subcommand is unknown or has the wrong number of
     * arguments. {@code command} is the container's lower-case name.
     */
    static boolean check(Command c, RespWriter out, String command) {
        String error = error(c, command);
        if (error != null) {
            out.error(error);
        }
        return error == null;
    }

    /**
     * The error Redis answers, before it runs or queues a command, when the command has
     * subcommands (OBJECT, CONFIG, CLIENT...) and {@code c}'s is unknown or has the wrong number
     * of arguments; null otherwise. In MULTI such a command is refused rather than queued, and
     * the transaction then fails with EXECABORT.
     *
     * @param spec the command's spec
     * @param c the command
     * @return the error text, or null
     */
    static String refusal(CommandSpec spec, Command c) {
        return c.argCount() < 2 || !CommandInfo.isContainer(spec) ? null : error(c, spec.name());
    }

    private static String error(Command c, String command) {
        String sub = ServerCommands.text(c, 1).toLowerCase(Locale.ROOT);
        CommandInfo.Entry e = CommandInfo.entry(command + "|" + sub);
        if (e == null) {
            return unknownText(c, command.toUpperCase(Locale.ROOT));
        }
        int n = c.argCount();
        if (e.arity() >= 0 ? n != e.arity() : n < -e.arity()) {
            return "ERR wrong number of arguments for '" + command + "|" + sub + "' command";
        }
        return null;
    }

    /** {@code ERR unknown subcommand 'x'. Try CONFIG HELP.} */
    static void unknown(Command c, RespWriter out, String command) {
        out.error(unknownText(c, command));
    }

    private static String unknownText(Command c, String command) {
        String sub = ServerCommands.text(c, 1);
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return "ERR unknown subcommand '" + sub + "'. Try " + command + " HELP.";
    }

    /** {@code ERR unknown subcommand or wrong number of arguments for 'x'. Try CLIENT HELP.} */
    static void unknownOrArity(Command c, RespWriter out, String command) {
        out.error("ERR unknown subcommand or wrong number of arguments for '" + ServerCommands.text(c, 1) + "'. Try "
                + command + " HELP.");
    }

    /**
     * The HELP reply: Redis's first line, the lines given, and the HELP entry every container ends
     * with; all as simple strings.
     */
    static void help(RespWriter out, String command, String... lines) {
        out.arrayHeader(lines.length + 3);
        out.simpleString(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            out.simpleString(l);
        }
        out.simpleString("HELP");
        out.simpleString("    Prints this help.");
    }
}
