package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HELLO [protover [AUTH user pass] [SETNAME name]]: the protocol handshake. Version 3 switches the
 * connection to RESP3 ({@link Connection#protocol(int)}), 2 back to RESP2; without a version the
 * protocol stays. The reply is the server's description, a map in RESP3.
 *
 * <p>As Redis 7.0 does, the options take effect one by one while they are read: an AUTH that
 * succeeded or a SETNAME before a bad option stays, although HELLO answers an error; the protocol
 * changes only when HELLO succeeds, and its reply is already in the new protocol.
 *
 * <p>Threading: the connection's task.
 */
final class Hello {

    private static final String NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";

    private Hello() {
    }

    static void execute(Connection conn, Command c, RespWriter out) {
        int version = 0;
        int i = 1;
        if (c.argCount() > 1) {
            Long v = ServerCommands.integer(c, 1);
            if (v == null) {
                out.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (v != 2 && v != 3) {
                out.error("NOPROTO unsupported protocol version");
                return;
            }
            version = v.intValue();
            i = 2;
        }
        for (; i < c.argCount(); i++) {
            String opt = ServerCommands.text(c, i);
            int more = c.argCount() - 1 - i;
            if (opt.toLowerCase(Locale.ROOT).equals("auth") && more >= 2) {
                String pass = conn.shard.server.admin.config.requirePass();
                if (!ServerCommands.text(c, i + 1).equals("default")
                        || (pass != null && !ServerCommands.text(c, i + 2).equals(pass))) {
                    out.error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                conn.authenticated = true;
                i += 2;
            } else if (opt.toLowerCase(Locale.ROOT).equals("setname") && more >= 1) {
                String name = ServerCommands.text(c, ++i);
                if (!ClientCommand.validName(name)) {
                    out.error(ClientCommand.BAD_NAME);
                    return;
                }
                conn.name = name;
            } else {
                out.error("ERR Syntax error in HELLO option '" + opt + "'");
                return;
            }
        }
        if (!conn.authenticated) {
            out.error(NOAUTH);
            return;
        }
        if (version != 0) {
            // Before the reply, which is already in the new protocol; out may be a transaction's
            // scratch writer (CrossShard) rather than one of the connection's.
            conn.protocol(version);
            out.protocol(version);
        }
        out.mapHeader(7);
        out.bulk(bytes("server")).bulk(bytes("redis"));
        out.bulk(bytes("version")).bulk(bytes(ServerCommands.REDIS_VERSION));
        out.bulk(bytes("proto")).integer(conn.protocol);
        out.bulk(bytes("id")).integer(conn.id);
        out.bulk(bytes("mode")).bulk(bytes("standalone"));
        out.bulk(bytes("role")).bulk(bytes("master"));
        out.bulk(bytes("modules")).arrayHeader(0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
