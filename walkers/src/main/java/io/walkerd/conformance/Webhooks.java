package io.walkerd.conformance;

import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.walker.Webhook;

/** Webhook walkers, one per place the API key {@code test_key} may be sent; each reports true. */
public final class Webhooks {
    private Webhooks() {}

    abstract static class ReportsTrue extends Walker {
        @OnEntry
        void enter1(Root here) { report(true); }
    }

    @Specs(webhook = @Webhook(type = Webhook.Type.HEADER, name = "test_key"))
    public static class WebhookByHeader extends ReportsTrue {}

    @Specs(webhook = @Webhook(type = Webhook.Type.QUERY, name = "test_key"))
    public static class WebhookByQuery extends ReportsTrue {}

    @Specs(webhook = @Webhook(type = Webhook.Type.PATH, name = "test_key"), path = "/{test_key}")
    public static class WebhookByPath extends ReportsTrue {}

    @Specs(webhook = @Webhook(type = Webhook.Type.BODY, name = "test_key"))
    public static class WebhookByBody extends ReportsTrue {}
}
