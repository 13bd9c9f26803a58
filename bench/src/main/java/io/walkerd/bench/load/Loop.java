package io.walkerd.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The generator's one event loop thread. Every connection, timer and counter of a run lives on it, so counters are
 * plain fields and the generator uses at most one of the machine's two cores, leaving the other to the server. Native
 * epoll where Netty has it (Linux x86_64), which costs the generator fewer cycles per message than the JDK selector.
 */
public final class Loop implements AutoCloseable {
    private static final boolean EPOLL = Epoll.isAvailable();
    private final EventLoopGroup group = EPOLL
            ? new EpollEventLoopGroup(1, new DefaultThreadFactory("bench-loop", true))
            : new NioEventLoopGroup(1, new DefaultThreadFactory("bench-loop", true));
    private final EventLoop loop = group.next();

    public EventLoop executor() { return loop; }

    public static String transport() { return EPOLL ? "epoll" : "NIO"; }

    /** A bootstrap for client channels on this loop. */
    Bootstrap bootstrap() {
        return new Bootstrap().group(group).channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000);
    }

    /** Runs {@code task} on the loop and waits for its result. */
    public <T> T call(Callable<T> task) {
        try {
            return loop.submit(task).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the generator's loop did not answer in 60 s", e);
        }
    }

    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void close() { group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly(); }
}
