package io.walkerd.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which address a request counts for: the peer's, or what trusted proxies wrote into {@code X-Forwarded-For}. */
class ClientAddressTest {
    static ClientAddress trusting(String proxies) { return ClientAddress.from(Config.of(Map.of("TRUSTED_PROXIES", proxies))); }

    @Test
    void withoutTrustedProxiesThePeerCountsWhateverTheHeaderSays() {
        ClientAddress a = ClientAddress.from(Config.of(Map.of()));
        assertThat(a.of("127.0.0.1", List.of("203.0.113.7"))).isEqualTo("127.0.0.1");
    }

    @Test
    void fromATrustedProxyTheRightmostUntrustedHopCounts() {
        ClientAddress a = trusting("10.0.0.0/8, 127.0.0.1");
        // the client forged the first entry; the proxies appended what they saw
        assertThat(a.of("127.0.0.1", List.of("1.1.1.1, 198.51.100.4, 10.2.3.4"))).isEqualTo("198.51.100.4");
        assertThat(a.of("127.0.0.1", List.of("1.1.1.1", "198.51.100.4"))).as("several header lines").isEqualTo("198.51.100.4");
        assertThat(a.of("10.9.9.9", List.of("10.1.1.1, 10.2.2.2"))).as("only proxies: the farthest").isEqualTo("10.1.1.1");
        assertThat(a.of("192.0.2.1", List.of("198.51.100.4"))).as("an untrusted peer").isEqualTo("192.0.2.1");
    }

    @Test
    void ipv6RangesAndNotationsCompareAsAddresses() {
        ClientAddress a = trusting("2001:db8::/32, ::1");
        // every hop is trusted (the loopback peer, both in 2001:db8::/32): the farthest one counts, written in full
        assertThat(a.of("0:0:0:0:0:0:0:1", List.of("2001:db8::5, [2001:db8:0:0:0:0:0:9]"))).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(a.of("::1", List.of("2001:0db9::1"))).isEqualTo("2001:db9:0:0:0:0:0:1");
    }

    @Test
    void aHeaderEntryThatIsNoAddressStopsTheWalkWithoutAnyLookup() {
        ClientAddress a = trusting("127.0.0.1");
        assertThat(a.of("127.0.0.1", List.of("evil.example.com"))).isEqualTo("127.0.0.1");
        assertThat(a.of("127.0.0.1", List.of("999.1.1.1"))).isEqualTo("127.0.0.1");
        assertThat(a.of("127.0.0.1", List.of("198.51.100.4:5555"))).isEqualTo("198.51.100.4");
    }

    @Test
    void aSettingThatIsNoAddressStopsTheServerFromStarting() {
        assertThatThrownBy(() -> trusting("proxy.internal")).hasMessageContaining("TRUSTED_PROXIES");
        assertThatThrownBy(() -> trusting("10.0.0.0/33")).hasMessageContaining("TRUSTED_PROXIES");
    }
}
