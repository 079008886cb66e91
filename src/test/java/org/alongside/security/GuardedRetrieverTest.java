package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URL;
import java.util.List;
import org.alongside.outbound.OutboundRule;
import org.junit.jupiter.api.Test;

/** The JWKS fetch is refused before any connection is opened; literals and a made-up resolver only. */
class GuardedRetrieverTest {

    private final OutboundRule rule = new OutboundRule(List.of("localhost"), host -> new InetAddress[] {
            InetAddress.getByName(host.equals("keys.internal.example") ? "10.0.0.9" : host)});

    @Test
    void aKeySetOnAnInternalAddressIsNotFetched() {
        TokenVerifier.GuardedRetriever retriever = new TokenVerifier.GuardedRetriever(rule, "alongside.auth.jwks-uri");
        for (String url : List.of("http://127.0.0.2:9/jwks", "http://169.254.169.254/jwks",
                "https://keys.internal.example/jwks", "http://[::1]:9/jwks")) {
            assertThatThrownBy(() -> retriever.retrieveResource(new URL(url))).as(url)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("alongside.auth.jwks-uri is not fetched: host ")
                    .hasMessageContaining("alongside.outbound.allowed-hosts");
        }
    }
}
