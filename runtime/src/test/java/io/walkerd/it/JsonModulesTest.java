package io.walkerd.it;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.javalin.config.JavalinConfig;
import io.walkerd.fixtures.Money;
import io.walkerd.graph.Id;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.spi.Plugin;
import io.walkerd.spi.PluginContext;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An application adds Jackson modules through the plugin SPI; they are its server's alone. */
class JsonModulesTest {

    /** A plugin whose only contribution is a module that reads and writes {@link Money} as "12.50 EUR". */
    static final class MoneyPlugin implements Plugin {
        @Override
        public String name() { return "money"; }

        @Override
        public List<Module> jsonModules() {
            SimpleModule m = new SimpleModule("money");
            m.addSerializer(Money.class, new JsonSerializer<>() {
                @Override
                public void serialize(Money value, JsonGenerator gen, SerializerProvider p) throws IOException {
                    gen.writeString(value.toString());
                }
            });
            m.addDeserializer(Money.class, new JsonDeserializer<>() {
                @Override
                public Money deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    return Money.parse(p.getValueAsString());
                }
            });
            return List.of(m);
        }

        @Override
        public void configure(JavalinConfig javalin, PluginContext context) {}
    }

    @Test
    void aPluginsModuleReadsInputWritesStoredFieldsAndResponses() {
        WalkerRegistry registry = WalkerRegistry.discover(getClass().getClassLoader());
        try (WalkerdServer server = WalkerdServer.start(Config.of(TestServer.settings(Map.of())), registry, List.of(new MoneyPlugin()))) {
            Http http = new Http(server.baseUrl());
            Http.Response r = http.post("/walker/tag_price", Map.of("price", "12.50 EUR"), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.reports().get(0).path("context").path("price").asText()).isEqualTo("12.50 EUR");
            assertThat(r.reports().get(1).asText()).isEqualTo("25.00");

            String hex = r.reports().get(0).path("id").asText().substring("n:PriceTag:".length());
            assertThat(server.store().store().nodes(List.of(Id.of(hex))).get(0).archetype().path("price").asText()).isEqualTo("12.50 EUR");
        }
    }

    @Test
    void anotherServerWithoutThePluginDoesNotKnowTheType() {
        WalkerRegistry registry = WalkerRegistry.discover(getClass().getClassLoader());
        try (WalkerdServer server = WalkerdServer.start(Config.of(TestServer.settings(Map.of())), registry, List.of())) {
            Http http = new Http(server.baseUrl());
            Http.Response r = http.post("/walker/tag_price", Map.of("price", "12.50 EUR"), http.newToken());
            assertThat(r.status()).as(r.toString()).isEqualTo(422);
            assertThat(r.body().path("detail").get(0).path("loc")).isEqualTo(Http.JSON.valueToTree(List.of("body", "price")));
        }
    }
}
