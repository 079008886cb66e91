package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelHeadersTest {

    @Test
    void parsesNameAndValueTrimmingSpace() {
        assertThat(ChannelHeaders.parse(List.of("Authorization: Bearer abc.def", "X-Tenant:clinic-7", "X-Empty:")))
                .containsExactly(new ChannelHeaders.Header("Authorization", "Bearer abc.def"),
                        new ChannelHeaders.Header("X-Tenant", "clinic-7"), new ChannelHeaders.Header("X-Empty", ""));
    }

    @Test
    void aValueMayContainColons() {
        assertThat(ChannelHeaders.parse(List.of("X-Callback: http://a.example:8080/x")))
                .containsExactly(new ChannelHeaders.Header("X-Callback", "http://a.example:8080/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no colon", ": value without name", "Bad Name: x", "X-Split: a\r\nInjected: b", "X-Nul: a\u0000"})
    void refusesMalformedHeadersWithoutQuotingThem(String header) {
        assertThatThrownBy(() -> ChannelHeaders.parse(List.of("X-Ok: 1", header)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel.header[1]")
                .hasMessageNotContaining("Injected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host: x", "content-length: 3", "Content-Type: text/plain", "Connection: close",
            "X-Alongside-Event-Number: 7", "Transfer-Encoding: chunked"})
    void refusesHeadersTheServerSets(String header) {
        assertThatThrownBy(() -> ChannelHeaders.parse(List.of(header)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set by the server");
    }
}
