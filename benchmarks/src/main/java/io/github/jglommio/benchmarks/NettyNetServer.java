package io.github.jglommio.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.net.InetSocketAddress;

/**
 * The Netty peers of the {@code net} suite: the io_uring or the epoll transport of Netty 4.2, one
 * event loop that accepts and serves every connection (as one jglommio executor does). Echo: write
 * each inbound buffer back, flush at the end of the read batch (Netty's EchoServer). HTTP: the same
 * {@link HttpScanner} as the other peers over the inbound bytes, so that no codec is measured.
 */
final class NettyNetServer {

    private static final ByteBuf RESPONSE =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(HttpScanner.RESPONSE)).asReadOnly();

    private NettyNetServer() {
    }

    static NetServer.Running start(boolean ioUring, InetSocketAddress echo, InetSocketAddress http)
            throws InterruptedException {
        if (ioUring) {
            IoUring.ensureAvailability();
        } else {
            Epoll.ensureAvailability();
        }
        IoHandlerFactory factory = ioUring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        Class<? extends ServerChannel> channel = ioUring ? IoUringServerSocketChannel.class
                : EpollServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        bind(group, channel, echo, false);
        bind(group, channel, http, true);
        return () -> "-";
    }

    private static void bind(EventLoopGroup group, Class<? extends ServerChannel> channel, InetSocketAddress address,
                             boolean http) throws InterruptedException {
        new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(http ? new HttpHandler() : EchoHandler.INSTANCE);
                    }
                })
                .bind(address).sync();
    }

    /** A server handler that flushes once per read batch and closes the connection on any error. */
    private abstract static class FlushingHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes every inbound buffer back. */
    @ChannelHandler.Sharable
    private static final class EchoHandler extends FlushingHandler {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }
    }

    /** One response per request end; one scanner per connection. */
    private static final class HttpHandler extends FlushingHandler {
        private final HttpScanner scanner = new HttpScanner();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            int requests = 0;
            try {
                for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                    requests += scanner.feed(in.getByte(i));
                }
            } finally {
                in.release();
            }
            for (int r = 0; r < requests; r++) {
                ctx.write(RESPONSE.duplicate(), ctx.voidPromise());
            }
        }
    }
}
