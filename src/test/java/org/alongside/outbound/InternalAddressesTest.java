package org.alongside.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals only: InetAddress.getByName parses a literal without asking any resolver. */
class InternalAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.0.0.2", "127.255.255.254", "0.0.0.0", "0.1.2.3",
            "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "169.254.0.1",
            "100.64.0.1", "100.127.255.255",
            "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
            "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
            "::", "::1", "fe80::1", "fe80::1%1", "fc00::1", "fd12:3456:789a::1", "fec0::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.1.2.3",
            "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "100::1"})
    void isInternal(String literal) throws UnknownHostException {
        assertThat(InternalAddresses.isInternal(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255",
            "172.32.0.1", "169.253.1.1", "192.167.1.1", "223.255.255.254", "2606:4700:4700::1111",
            "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void isPublic(String literal) throws UnknownHostException {
        assertThat(InternalAddresses.isInternal(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"})
    void loopbackInEveryFormIsLoopback(String literal) throws UnknownHostException {
        assertThat(InternalAddresses.isLoopback(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "169.254.169.254", "fe80::1", "8.8.8.8"})
    void otherAddressesAreNotLoopback(String literal) throws UnknownHostException {
        assertThat(InternalAddresses.isLoopback(InetAddress.getByName(literal))).as(literal).isFalse();
    }
}
