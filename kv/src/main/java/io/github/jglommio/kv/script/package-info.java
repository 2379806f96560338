/**
 * Lua scripting as Redis 7.0 has it: EVAL and EVALSHA (and their {@code _RO} forms) over a
 * server-wide {@link io.github.jglommio.kv.script.ScriptCache}, FUNCTION libraries and FCALL over a
 * server-wide {@link io.github.jglommio.kv.script.FunctionLibraries}, run by one
 * {@link io.github.jglommio.kv.script.ScriptEngine} per shard on LuaJ (Lua 5.2 in Java).
 *
 * <p>The engine adapts LuaJ to what scripts written for Redis's Lua 5.1 rely on
 * ({@code LuaSandbox}): {@code unpack}, {@code loadstring}, {@code table.getn}, {@code math.mod};
 * the {@code bit} ({@code BitLib}, LuaBitOp's signed results) and {@code cjson} ({@code CJson})
 * libraries; no {@code os}, {@code io}, {@code require}, {@code dofile}, {@code loadfile},
 * {@code print}, {@code debug}; globals and library tables protected with Redis's error texts. The
 * {@code redis} table ({@code RedisLib}) and the conversions between RESP and Lua
 * ({@code LuaReplies}) follow Redis's rules, RESP3 under {@code redis.setresp(3)} included. Not
 * loaded: {@code struct} and {@code cmsgpack}. LuaJ's own texts stay where they differ from Lua
 * 5.1's (compile errors, some runtime errors, {@code tostring} of large numbers).
 *
 * <p>Where a script runs: the server ({@code kv.server.ScriptRun}) sends it, as one batch entry, to
 * the shard that owns every key it declares, and runs it there in one go: nothing else runs on
 * that shard meanwhile, so it is atomic as on one Redis. Its {@code redis.call}s go through a
 * {@link io.github.jglommio.kv.script.ScriptHost}: they must be that shard's keys. Its effects are
 * logged as the write commands they are (between {@code MULTI} and {@code EXEC} when there are
 * several), so replaying the log never runs Lua. Declared keys on several shards are refused with
 * {@code CROSSSLOT}.
 *
 * <p>Long scripts: LuaJ's debug hook counts instructions; every
 * {@value io.github.jglommio.kv.script.ScriptEngine#HOOK_EVERY} the engine reads the clock, and past
 * {@code busy-reply-threshold} (alias {@code lua-time-limit}, 5000 ms) it lets the executor's
 * other tasks run, which answer {@code -BUSY}; SCRIPT KILL and FUNCTION KILL set a flag the next
 * check turns into an error {@code pcall} cannot catch (unless the script has written:
 * {@code UNKILLABLE}).
 *
 * <p>Threading: a {@code ScriptEngine} and its Lua state belong to one shard's executor; the cache
 * and the libraries are thread-safe; {@code ScriptEngine.kill} and {@code running} may be called
 * from any thread.
 */
package io.github.jglommio.kv.script;
