/**
 * RESP (REdis Serialization Protocol, version 2): parsing client requests into
 * {@link io.github.jglommio.kv.resp.Command}s and encoding replies with
 * {@link io.github.jglommio.kv.resp.RespWriter}.
 *
 * {@snippet :
 * RespParser parser = new RespParser();               // one per connection
 * RespWriter out = new RespWriter();                   // one per connection
 * int pos = from;
 * Command cmd;
 * while ((cmd = parser.next(buf, pos, to)) != null) {  // throws ProtocolException: close
 *     pos += parser.consumed();
 *     execute(cmd, out);
 * }
 * // every byte of buf[from, to) is now consumed: a partial request lives inside the parser
 * socket.write(out.array(), 0, out.size());
 * out.clear();
 * }
 *
 * <p>Threading model. Nothing here is thread-safe: a parser and a writer belong to one connection,
 * which belongs to one executor, and are used from that executor's thread only. {@code Command}
 * is immutable once built and may be handed to another executor (for example to the shard that
 * owns its key) as long as nobody writes into the arrays returned by {@link
 * io.github.jglommio.kv.resp.Command#args()}.
 */
package io.github.jglommio.kv.resp;
