package org.alongside.outbound;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which IP addresses lie inside a private network rather than on the public internet: the addresses a request that
 * a client chose (a Subscription endpoint) must never reach unless the operator listed the host. Pure: it looks at
 * address bytes only, never at the network.
 *
 * <p>Internal: unspecified ({@code 0.0.0.0/8}, {@code ::}), loopback ({@code 127/8}, {@code ::1}), link-local
 * ({@code 169.254/16}, where cloud metadata services answer; {@code fe80::/10}), private ({@code 10/8},
 * {@code 172.16/12}, {@code 192.168/16}), carrier-grade NAT ({@code 100.64/10}), IPv6 unique-local
 * ({@code fc00::/7}) and site-local ({@code fec0::/10}), multicast, broadcast and the reserved, benchmarking and
 * documentation ranges. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by that address; Teredo ({@code 2001::/32}) is refused
 * outright, since its embedded address is obfuscated.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    public static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address ? isInternalV4(bytes) : isInternalV6(bytes);
    }

    /** Loopback only ({@code 127/8}, {@code ::1}, and their IPv6 forms): what a development server may allow. */
    public static boolean isLoopback(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return true;
        }
        InetAddress embedded = embeddedV4(address.getAddress());
        return embedded != null && embedded.isLoopbackAddress();
    }

    private static boolean isInternalV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        return first == 0                                       // "this network"
                || first == 10 || first == 127
                || (first == 100 && second >= 64 && second < 128)  // carrier-grade NAT, 100.64/10
                || (first == 169 && second == 254)
                || (first == 172 && second >= 16 && second < 32)
                || (first == 192 && second == 168)
                || (first == 192 && second == 0 && (third == 0 || third == 2))  // IETF protocol assignments, TEST-NET-1
                || (first == 198 && (second == 18 || second == 19))              // benchmarking, 198.18/15
                || (first == 198 && second == 51 && third == 100)                // TEST-NET-2
                || (first == 203 && second == 0 && third == 113)                 // TEST-NET-3
                || first >= 224;                                                 // multicast, reserved, broadcast
    }

    private static boolean isInternalV6(byte[] b) {
        if ((b[0] & 0xfe) == 0xfc) {                    // unique-local fc00::/7
            return true;
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {  // deprecated site-local fec0::/10
            return true;
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {  // Teredo 2001::/32
            return true;
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {  // documentation 2001:db8::/32
            return true;
        }
        if (b[0] == 0x01 && b[1] == 0x00 && isZero(b, 2, 8)) {  // discard-only 100::/64
            return true;
        }
        InetAddress embedded = embeddedV4(b);
        return embedded != null && isInternal(embedded);
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address; else null. */
    private static InetAddress embeddedV4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = isZero(b, 0, 12) && !isZero(b, 12, 16);
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return v4(b[12], b[13], b[14], b[15]);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {  // 6to4 2002:AABB:CCDD::/48
            return v4(b[2], b[3], b[4], b[5]);
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
