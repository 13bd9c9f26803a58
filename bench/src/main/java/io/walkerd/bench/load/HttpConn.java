package io.walkerd.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** One keep-alive HTTP/1.1 client connection: one request at a time, the next sent from the response callback. */
public final class HttpConn extends SimpleChannelInboundHandler<FullHttpResponse> {
    public interface Listener {
        void response(HttpConn c, int status, ByteBuf body, long sentNanos, long now);

        default void failed(HttpConn c, String why) {}
    }

    final int index;
    private final String host;
    private Listener listener;
    private Channel channel;
    private long sentNanos;

    HttpConn(int index, String host, Listener listener) {
        this.index = index;
        this.host = host;
        this.listener = listener;
    }

    public int index() { return index; }

    public void listen(Listener l) { this.listener = l; }

    public boolean isOpen() { return channel != null && channel.isActive(); }

    /** Posts a JSON body; {@code sentNanos} is what the listener gets back (the request's send time). */
    public void post(String path, String json, String authorization, long sentNanos) {
        if (channel == null || !channel.isActive()) return;
        this.sentNanos = sentNanos;
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (authorization != null) req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        channel.writeAndFlush(req, channel.voidPromise());
    }

    public io.netty.channel.ChannelFuture close() { return channel.close(); }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
        listener.response(this, res.status().code(), res.content(), sentNanos, System.nanoTime());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.failed(this, cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        listener.failed(this, "connection closed");
        super.channelInactive(ctx);
    }
}
