package org.alongside.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule over names that resolve to given literals: a made-up resolver, no network. */
class OutboundRuleTest {

    private static final Map<String, List<String>> NAMES = Map.of(
            "hooks.ehr.example", List.of("93.184.215.14"),
            "metadata.internal.example", List.of("169.254.169.254"),
            "db.internal.example", List.of("10.0.0.5"),
            "rebinding.example", List.of("93.184.215.14", "127.0.0.1"),
            "v6-private.example", List.of("2606:4700:4700::1111", "fd00::5"),
            "mapped.example", List.of("::ffff:192.168.0.10"),
            "localhost", List.of("127.0.0.1", "::1"),
            "idp.clinic.internal", List.of("10.1.2.3"));

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> literals = NAMES.get(host);
        if (literals == null) {
            // a literal address resolves to itself, as InetAddress does without asking DNS
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] addresses = new InetAddress[literals.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName(literals.get(i));
        }
        return addresses;
    }

    private final OutboundRule rule = new OutboundRule(List.of(), OutboundRuleTest::resolve);

    @Test
    void aNameResolvingToPublicAddressesMayBeCalled() {
        assertThat(rule.refusal(URI.create("https://hooks.ehr.example/alongside"))).isEmpty();
        assertThat(rule.refusal(URI.create("http://93.184.215.14:8080/x"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.2:9/", "http://localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
            "http://169.254.169.254/latest/meta-data", "http://metadata.internal.example/", "http://db.internal.example/",
            "http://rebinding.example/", "http://v6-private.example/", "http://mapped.example/", "http://10.0.0.1/",
            "http://[fd00::1]/", "http://100.64.1.1/", "http://0.0.0.0:8080/", "http://[fe80::1]/",
            "http://224.0.0.1/"})
    void anAddressOrNameThatIsOrResolvesInwardIsRefused(String url) {
        assertThat(rule.refusal(URI.create(url))).hasValueSatisfying(problem -> assertThat(problem)
                .contains("non-public address").contains("alongside.outbound.allowed-hosts")
                .doesNotContain("10.0.0.5"));  // names the host, not what it resolved to
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        assertThat(rule.refusal(URI.create("http://nowhere.example/"))).hasValue("host nowhere.example cannot be resolved");
    }

    @Test
    void aListedHostMayBeCalledWhereverItResolves() {
        OutboundRule listed = new OutboundRule(List.of("IDP.clinic.internal", " localhost ", "[::1]"),
                OutboundRuleTest::resolve);
        assertThat(listed.refusal(URI.create("https://idp.clinic.internal/jwks"))).isEmpty();
        assertThat(listed.refusal(URI.create("http://localhost:9080/auth/jwks"))).isEmpty();
        assertThat(listed.refusal(URI.create("http://[::1]:9080/"))).isEmpty();
        // listing one loopback name allows that name, not the loopback range
        assertThat(listed.refusal(URI.create("http://127.0.0.1/"))).isPresent();
        assertThat(listed.refusal(URI.create("http://db.internal.example/"))).isPresent();
    }

    @Test
    void alsoListingAddsHostsWithoutDroppingTheFirst() {
        OutboundRule both = new OutboundRule(List.of("localhost"), OutboundRuleTest::resolve)
                .alsoListing(List.of("db.internal.example"));
        assertThat(both.refusal(URI.create("http://localhost/"))).isEmpty();
        assertThat(both.refusal(URI.create("http://db.internal.example/"))).isEmpty();
        assertThat(both.refusal(URI.create("http://metadata.internal.example/"))).isPresent();
    }

    @Test
    void aUrlWithoutAHostIsRefused() {
        assertThat(rule.refusal(URI.create("file:///etc/passwd"))).hasValue("the URL names no host");
    }
}
