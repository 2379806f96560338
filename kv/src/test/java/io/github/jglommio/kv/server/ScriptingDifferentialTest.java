package io.github.jglommio.kv.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * EVAL, EVALSHA, EVAL_RO, SCRIPT, FUNCTION and FCALL against redis-server 7.0, byte for byte: the
 * conversions between Lua and RESP both ways, redis.call on every type, the errors of scripts and
 * of the commands they call (with the script and line they name), the sandbox, the libraries
 * scripts rely on, shebang flags, function libraries and their errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScriptingDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle o;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        o = Oracle.start(dir, 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (o != null) {
            o.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        o.flush();
        o.same("SCRIPT", "FLUSH");
        o.same("FUNCTION", "FLUSH");
    }

    private void eval(String script, String... keysAndArgs) throws IOException {
        String[] c = new String[keysAndArgs.length + 2];
        c[0] = "EVAL";
        c[1] = script;
        System.arraycopy(keysAndArgs, 0, c, 2, keysAndArgs.length);
        o.same(c);
    }

    @Test
    void shouldConvertLuaValuesToReplies() throws IOException {
        eval("return 1", "0");
        eval("return 'abc'", "0");
        eval("return {1,2,3,'x',nil,4}", "0");
        eval("return 3.99", "0");
        eval("return -3.7", "0");
        eval("return 1e20", "0");
        eval("return true", "0");
        eval("return false", "0");
        eval("return nil", "0");
        eval("return {1,{2,{3}},'a'}", "0");
        eval("return {1,2,false,3}", "0");
        eval("return {err='My Error'}", "0");
        eval("return {err='-XX boom'}", "0");
        eval("return {ok='fine'}", "0");
        eval("return {ok={1}}", "0");
        eval("return {1,2,{err='x'}}", "0");
        eval("return redis.error_reply('My err')", "0");
        eval("return redis.error_reply('-My err')", "0");
        eval("return redis.status_reply('ST')", "0");
        eval("return {double=3.5}", "0");
        eval("return {double=0.1}", "0");
        eval("return {map={a=1}}", "0");
        eval("return {set={a=true}}", "0");
        eval("return {big_number='123'}", "0");
        eval("redis.setresp(3); return false", "0");
        eval("redis.setresp(3); return true", "0");
        eval("return _G", "0");
    }

    @Test
    void shouldPassKeysAndArguments() throws IOException {
        eval("return KEYS[1]..ARGV[1]", "1", "k", "v");
        eval("return #ARGV", "0", "a", "b");
        eval("return {KEYS[1], KEYS[2], ARGV[1]}", "2", "a", "b", "c");
        eval("return 1", "2", "a");
        eval("return 1", "-1");
        eval("return 1", "x");
    }

    @Test
    void shouldCallEveryType() throws IOException {
        eval("redis.call('set', KEYS[1], 'v'); return redis.call('get', KEYS[1])", "1", "s");
        eval("return redis.call('incrby', KEYS[1], 5)", "1", "n");
        eval("return redis.call('set', KEYS[1], 1.5)", "1", "f");
        eval("return redis.call('get', KEYS[1])", "1", "f");
        eval("return redis.call('get', 'missing')", "0");
        eval("redis.call('rpush', KEYS[1], 'a', 'b', 'c'); return redis.call('lrange', KEYS[1], 0, -1)", "1", "l");
        eval("redis.call('sadd', KEYS[1], 'x'); return redis.call('smembers', KEYS[1])", "1", "st");
        eval("redis.call('hset', KEYS[1], 'f', 'v'); return redis.call('hgetall', KEYS[1])", "1", "h");
        eval("redis.call('zadd', KEYS[1], 1.5, 'm'); return redis.call('zrange', KEYS[1], 0, -1, 'withscores')",
                "1", "z");
        eval("return redis.call('zscore', KEYS[1], 'm')", "1", "z");
        eval("return redis.call('type', KEYS[1])", "1", "z");
        eval("return redis.call('ping')", "0");
        eval("return redis.call('mget', 'l', 's', 'nokey')", "0");
        eval("redis.setresp(3); return redis.call('hgetall', 'h')", "0");
        eval("redis.setresp(3); return redis.call('hgetall', 'nokey')", "0");
        eval("redis.setresp(3); return redis.call('smembers', 'st')", "0");
        eval("redis.setresp(3); return redis.call('zscore', 'z', 'm')", "0");
        eval("redis.setresp(3); return redis.call('get', 'nokey')", "0");
        eval("redis.setresp(3); return redis.call('exists', 'nokey')", "0");
        eval("local t = redis.call('set', 'x', 'y'); return t['ok']", "0");
        eval("return redis.call('select', '3')", "0");
        o.same("GET", "s");
        o.same("LRANGE", "l", "0", "-1");
    }

    @Test
    void shouldRaiseAndReturnCommandErrors() throws IOException {
        o.same("SET", "str", "abc");
        eval("return redis.call('incr', 'str')", "0");
        eval("return redis.pcall('incr', 'str')", "0");
        eval("local t = redis.pcall('incr', 'str'); return t['err']", "0");
        eval("return redis.call('nosuch')", "0");
        eval("return redis.pcall('nosuch')", "0");
        eval("return type(redis.pcall('nosuch'))", "0");
        eval("return redis.call('get')", "0");
        eval("return redis.call('set', 'a')", "0");
        eval("return redis.call()", "0");
        eval("return redis.call(1)", "0");
        eval("return redis.call('set', {}, 1)", "0");
        eval("return redis.call('multi')", "0");
        eval("return redis.call('eval', 'return 1', '0')", "0");
        eval("return redis.call('subscribe', 'x')", "0");
        eval("\n\nreturn redis.call('incr', 'str')", "0");
        eval("local x = redis.call('incr', 'str')\nreturn x", "0");
        eval("error('boom')", "0");
        eval("\nerror('boom')", "0");
        eval("error({err='X boom'})", "0");
        eval("return redis.sha1hex()", "0");
        eval("return redis.log()", "0");
        eval("return redis.setresp(4)", "0");
    }

    @Test
    void shouldSandboxGlobals() throws IOException {
        eval("x = 1", "0");
        eval("return a", "0");
        eval("return os", "0");
        eval("return print", "0");
        eval("return require", "0");
        eval("return loadfile", "0");
        eval("return dofile", "0");
        eval("return debug", "0");
        eval("string.x = 1; return 1", "0");
        eval("cjson.x = 1; return 1", "0");
        eval("return {type(load), type(loadstring), type(unpack), type(table.getn), type(math), type(string)}", "0");
        eval("return {type(bit), type(cjson), type(coroutine), type(xpcall), type(select), type(setmetatable)}", "0");
        eval("local t = setmetatable({}, {}); return 1", "0");
        eval("return loadstring('return 1 + 1')()", "0");
    }

    @Test
    void shouldProvideRedisLibraries() throws IOException {
        eval("return {bit.band(7,3), bit.bor(1,2), bit.bxor(3,1), bit.bnot(0), bit.lshift(1,4), bit.rshift(-1,28),"
                + " bit.arshift(-16,2), bit.tobit(4294967297), bit.tohex(255), bit.tohex(-1, -4)}", "0");
        eval("return {cjson.encode({1,2,'a'}), cjson.encode({a=1}), cjson.encode('x/y\"z'), cjson.encode(3.25),"
                + " cjson.encode({}), cjson.encode(true)}", "0");
        eval("return cjson.decode('{\"a\":[1,2.5,\"x\",null,true]}').a[2]", "0");
        eval("return cjson.decode('[1,2,3]')[3]", "0");
        eval("return cjson.decode('\"\\\\u0041b\"')", "0");
        eval("local ok, e = pcall(cjson.encode, {a={b=1}}); cjson.encode_max_depth(1);"
                + " local ok2, e2 = pcall(cjson.encode, {a={b=1}}); cjson.encode_max_depth(1000);"
                + " return {tostring(ok), tostring(ok2), e2}", "0");
        eval("cjson.decode_max_depth(1); local ok, e = pcall(cjson.decode, '{\"obj\": {\"array\": [1,2,3,4]}}');"
                + " cjson.decode_max_depth(1000); return {tostring(ok), e}", "0");
        eval("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0");
        eval("return redis.sha1hex('')", "0");
        eval("return redis.sha1hex('abc')", "0");
        eval("return redis.REDIS_VERSION_NUM > 0", "0");
        eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "0");
        eval("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}", "0");
        eval("redis.log(redis.LOG_WARNING, 'from a test'); return 1", "0");
        eval("return redis.set_repl(redis.REPL_ALL)", "0");
        eval("return redis.replicate_commands()", "0");
        eval("return redis.breakpoint()", "0");
        eval("return redis.debug('x')", "0");
        eval("return unpack({1,2})", "0");
        eval("return table.getn({1,2})", "0");
        eval("return tostring(0/0) ~= nil", "0");
    }

    @Test
    void shouldCacheScripts() throws IOException {
        o.same("SCRIPT", "LOAD", "return 1");
        o.same("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "ffffffffffffffffffffffffffffffffffffffff");
        o.same("SCRIPT", "EXISTS", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB");
        o.same("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        o.same("EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0");
        o.same("EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        o.same("EVALSHA", "abc", "0");
        o.same("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0");
        eval("return 2", "0");
        o.same("EVALSHA", "7f923f79fe76194c868d7e1d0820de36700eb649", "0");
        o.same("SCRIPT", "FLUSH", "ASYNC");
        o.same("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        o.same("SCRIPT", "FLUSH", "bad");
        o.same("SCRIPT", "FLUSH", "sync", "x");
        o.same("SCRIPT", "KILL");
        o.same("SCRIPT", "KILL", "x");
        o.same("SCRIPT", "HELP");
        o.same("SCRIPT", "nosuch");
        o.same("SCRIPT", "DEBUG", "no");
        o.same("SCRIPT");
        o.same("EVAL", "return 1");
        o.same("EVALSHA");
    }

    @Test
    void shouldHonourReadOnlyScripts() throws IOException {
        o.same("EVAL_RO", "return redis.call('set','a','b')", "1", "a");
        o.same("EVAL_RO", "return redis.call('get','a')", "1", "a");
        eval("#!lua flags=no-writes\nreturn redis.call('set','x','y')", "0");
        eval("#!lua flags=bad\nreturn 1", "0");
        eval("#!luax\nreturn 1", "0");
        eval("#!lua name=x\nreturn 1", "0");
        o.same("EVAL_RO", "#!lua\nreturn 1", "0");
        o.same("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0");
        eval("#!lua\nreturn redis.call('get','zz')", "0");
        eval("#!lua\nreturn redis.call('get',KEYS[1])", "0");
        eval("#!lua flags=no-writes,allow-stale\nreturn 7", "0");
        o.same("GET", "x");
    }

    @Test
    void shouldRunInsideTransactions() throws IOException {
        o.same("MULTI");
        eval("redis.call('set','m1','1'); return redis.call('incr','m1')", "1", "m1");
        o.same("GET", "m1");
        o.same("EXEC");
        o.same("GET", "m1");
    }

    private static final String LIB1 = "#!lua name=lib1\nredis.register_function('f1', function(keys, args)"
            + " return {keys[1], args[1]} end)";

    @Test
    void shouldLoadAndCallFunctions() throws IOException {
        o.same("FUNCTION", "LOAD", LIB1);
        o.same("FUNCTION", "LOAD", LIB1);
        o.same("FCALL", "f1", "1", "k", "a");
        o.same("FCALL", "f1", "0");
        o.same("FCALL_RO", "f1", "1", "k");
        o.same("FCALL", "nosuch", "0");
        o.same("FCALL", "f1", "x");
        o.same("FCALL", "f1", "5");
        o.same("FUNCTION", "LIST");
        o.same("FUNCTION", "LIST", "WITHCODE");
        o.same("FUNCTION", "LIST", "LIBRARYNAME", "lib*");
        o.same("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*");
        o.same("FUNCTION", "LIST", "LIBRARYNAME");
        o.same("FUNCTION", "LIST", "bad");
        o.same("FUNCTION", "LIST", "withcode", "withcode");
        o.same("FUNCTION", "STATS");
        o.same("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)");
        o.same("FUNCTION", "LOAD", "REPLACE", "#!lua name=lib1\nredis.register_function{function_name='f2',"
                + " callback=function(keys, args) return redis.call('set', keys[1], args[1]) end,"
                + " flags={'no-writes'}, description='desc'}");
        o.same("FUNCTION", "LIST");
        o.same("FCALL", "f2", "1", "k", "v");
        o.same("FCALL_RO", "f2", "1", "k", "v");
        o.same("FUNCTION", "LOAD", "REPLACE", "#!lua name=lib1\nredis.register_function('f3', function(keys)"
                + " return redis.call('set', keys[1], 'w') end)");
        o.same("FCALL", "f3", "1", "k");
        o.same("FCALL_RO", "f3", "1", "k");
        o.same("GET", "k");
        o.same("FUNCTION", "DELETE", "lib1");
        o.same("FUNCTION", "DELETE", "lib1");
        o.same("FCALL", "f3", "1", "k");
        o.same("FUNCTION", "FLUSH", "bad");
        o.same("FUNCTION", "HELP");
        o.same("FUNCTION", "KILL");
        o.same("FUNCTION", "STATS", "x");
        o.same("FUNCTION", "nosuch");
        o.same("FUNCTION", "RESTORE", "garbage");
        o.same("FUNCTION", "RESTORE", "x", "bad");
    }

    @Test
    void shouldRefuseLoadingFunctionsOverMaxmemory() throws IOException {
        o.same("FUNCTION", "FLUSH");
        o.same("SET", "some", "data");
        o.same("CONFIG", "SET", "maxmemory", "1");
        try {
            o.same("FUNCTION", "LOAD", "#!lua name=oom\nredis.register_function('f', function() return 1 end)");
            o.same("FUNCTION", "RESTORE", "garbage");
            o.same("FUNCTION", "LIST");
            o.same("FUNCTION", "FLUSH");
        } finally {
            o.same("CONFIG", "SET", "maxmemory", "0");
        }
        o.same("FUNCTION", "LOAD", "#!lua name=oom\nredis.register_function('f', function() return 1 end)");
        o.same("FUNCTION", "FLUSH");
    }

    @Test
    void shouldRefuseWritingScriptsOverMaxmemory() throws IOException {
        o.same("FUNCTION", "FLUSH");
        o.same("FUNCTION", "LOAD", "#!lua name=oomlib\n"
                + "redis.register_function('w', function() return redis.call('set', 'x', '1') end)\n"
                + "redis.register_function{function_name='r', callback=function() return 'hello' end,"
                + " flags={'no-writes'}}\n"
                + "redis.register_function{function_name='a', callback=function() return redis.call('set', 'x', 'a')"
                + " end, flags={'allow-oom'}}");
        o.same("SET", "some", "data");
        o.same("CONFIG", "SET", "maxmemory", "1");
        try {
            o.same("EVAL", "return redis.call('set','x','1')", "1", "x");
            o.same("EVAL", "return redis.pcall('set','x','1')", "1", "x");
            o.same("EVAL", "return redis.call('get','some')", "1", "some");
            o.same("EVAL", "#!lua\nreturn redis.call('set','x','1')", "1", "x");
            o.same("EVAL", "#!lua\nreturn redis.call('get','some')", "1", "some");
            o.same("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", "1", "x");
            o.same("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','1')", "1", "x");
            o.same("FCALL", "w", "1", "k");
            o.same("FCALL", "r", "1", "k");
            o.same("FCALL_RO", "r", "1", "k");
            o.same("FCALL", "a", "1", "x");
            o.same("GET", "x");
        } finally {
            o.same("CONFIG", "SET", "maxmemory", "0");
        }
        o.same("FUNCTION", "FLUSH");
    }

    @Test
    void shouldRefuseBadLibraries() throws IOException {
        o.same("FUNCTION", "LOAD", "return 1");
        o.same("FUNCTION", "LOAD", "#!lua\nreturn 1");
        o.same("FUNCTION", "LOAD", "#!lua name=lib1\nreturn 1");
        o.same("FUNCTION", "LOAD", "#!js name=lib3\nx");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3 foo=bar\nx");
        o.same("FUNCTION", "LOAD", "#!lua name=lib-3\nx");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('f3', function() return 1 end,"
                + " {'bad-flag'})");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('f3 x', function() return 1 end)");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.call('ping')");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nlocal x = 1");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function{function_name='f3',"
                + " callback=function() return 1 end, flags={'bad-flag'}}");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function{function_name='f3',"
                + " callback=function() return 1 end, flags='no-writes'}");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function{function_name='f3',"
                + " callback=function() return 1 end, foo=1}");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function{function_name='f3'}");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('f3', 1)");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('f3', function() return 1 end)\n"
                + "redis.register_function('f3', function() return 1 end)");
        o.same("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function(1, function() return 1 end)");
        o.same("FUNCTION", "LOAD", "bad", "x");
        o.same("FUNCTION", "LOAD", "replace");
        o.same("FUNCTION", "LIST");
    }

    @Test
    void shouldLoadLibrariesWithOnlyTheirRedisTable() throws IOException {
        o.same("FUNCTION", "LOAD", "#!lua name=lib2\nreturn math.random()");
        o.same("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1')");
        o.same("FUNCTION", "LOAD", "#!lua name=lib1\nlocal lib = redis\n"
                + "lib.register_function('f1', function() lib.math = math return {ok='OK'} end)\n"
                + "lib.register_function('f2', function() lib.register_function('f3', function() return 1 end) end)");
        o.same("FCALL", "f1", "0");
        o.same("FCALL", "F1", "0"); // function names are case-insensitive
        o.same("FCALL", "f2", "0");
        o.same("FUNCTION", "LOAD", "#!lua name=LIB1\nredis.register_function('g', function() return 1 end)");
        o.same("FUNCTION", "FLUSH", "a", "b");
        o.same("FUNCTION", "RESTORE", "a", "b", "c");
        o.same("FUNCTION", "RESTORE");
        o.same("FUNCTION", "LOAD", "#!lua name=libt\nlocal a = 1\nwhile 1 do a = a + 1 end"); // the load timeout
        o.same("PING");
    }

    @Test
    void shouldReportErrorsOfFunctions() throws IOException {
        o.same("FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('boom', function() error('boom') end)\n"
                + "redis.register_function('nocmd', function() return redis.call('nosuch') end)");
        o.same("FCALL", "boom", "0");
        o.same("FCALL", "nocmd", "0");
    }

    @Test
    void shouldRestoreItsOwnDump() throws IOException {
        o.same("FUNCTION", "LOAD", LIB1);
        String[] dumps = o.both("FUNCTION", "DUMP");
        assertTrue(dumps[1].startsWith("$"), dumps[1]);
        // Our dump restores on both servers (it is Redis's format); the replies then match.
        o.same("FUNCTION", "FLUSH");
        o.same("FUNCTION", "LIST");
    }
}
