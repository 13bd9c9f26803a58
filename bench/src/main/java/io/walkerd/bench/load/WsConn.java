package io.walkerd.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** One websocket client connection of the generator; its frames go to the run's {@link Listener}. */
public final class WsConn extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** What a run does with a connection's frames; called on the loop thread. */
    public interface Listener {
        void message(WsConn c, ByteBuf text, long now);

        default void error(WsConn c, String what) {}
    }

    public static final Listener IGNORE = (c, text, now) -> {};

    final int index;
    private final Wire wire;
    private Listener listener;
    private Channel channel;
    private Runnable onReady;
    private java.util.function.Consumer<String> onFailure;
    private java.util.function.LongConsumer onConnected;
    private boolean ready;
    private boolean closed;

    WsConn(int index, Wire wire, Listener listener, Runnable onReady, java.util.function.Consumer<String> onFailure) {
        this.index = index;
        this.wire = wire;
        this.listener = listener;
        this.onReady = onReady;
        this.onFailure = onFailure;
    }

    public int index() { return index; }

    public boolean isOpen() { return !closed && channel != null && channel.isActive(); }

    public void listen(Listener l) { this.listener = l; }

    /**
     * Calls {@code hook} once, with the arrival time, on the first frame that says this connection is connected
     * ({@link Wire#connected}); from then on a failure or close is no longer reported as a failed connect.
     */
    void onConnected(java.util.function.LongConsumer hook) { this.onConnected = hook; }

    public void send(String text) {
        if (channel != null && channel.isActive()) channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    public io.netty.channel.ChannelFuture close() { return channel.close(); }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) fail("handshake timed out");
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) return;
        ByteBuf text = frame.content();
        if (onConnected != null && wire.connected(text)) {
            java.util.function.LongConsumer hook = onConnected;
            onConnected = null;
            onReady = null;
            onFailure = null;
            hook.accept(System.nanoTime());
            return;
        }
        switch (wire.classify(text, this::send)) {
            case READY -> {
                if (!ready) {
                    ready = true;
                    Runnable r = onReady;
                    onReady = null;
                    onFailure = null;
                    if (r != null) r.run();
                }
            }
            case MESSAGE -> listener.message(this, text, System.nanoTime());
            case ERROR -> {
                String what = text.toString(java.nio.charset.StandardCharsets.UTF_8);
                if (!ready) fail(what);
                else listener.error(this, what);
            }
            case CONTROL -> {}
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        if (!ready) fail("closed before the connection event");
        else listener.error(this, "closed by the server");
        super.channelInactive(ctx);
    }

    /** Called once if the connection fails before it is ready. */
    void fail(String why) {
        java.util.function.Consumer<String> f = onFailure;
        onFailure = null;
        onReady = null;
        if (f != null) f.accept(why);
    }
}
