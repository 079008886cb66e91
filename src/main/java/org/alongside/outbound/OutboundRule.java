package org.alongside.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the server may send a request: the one rule for every outbound call (Subscription deliveries, the token
 * verifier's JWKS fetch). A host the operator listed may be reached wherever it is. Any other host must resolve
 * only to public addresses: never loopback, link-local, private, unique-local, carrier-grade NAT, multicast or
 * unspecified ones ({@link InternalAddresses}), so that a URL a client chose cannot reach the server itself, a
 * cloud metadata service or the internal network. The check resolves the host the way the HTTP clients do
 * ({@link InetAddress#getAllByName}, whose JVM cache they share) and runs again before each request, so a name that
 * later resolves inward is refused then.
 */
public final class OutboundRule {

    /** Name resolution; tests pass literals, the server the JVM's resolver. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> listedHosts;
    private final Resolver resolver;

    public OutboundRule(Collection<String> listedHosts, Resolver resolver) {
        this.listedHosts = normalised(listedHosts);
        this.resolver = resolver;
    }

    /** The rule with the JVM's resolver. */
    public static OutboundRule resolvingWithJvm(Collection<String> listedHosts) {
        return new OutboundRule(listedHosts, InetAddress::getAllByName);
    }

    /** The same rule, trusting these hosts too (e.g. the Subscription endpoint hosts an operator listed). */
    public OutboundRule alsoListing(Collection<String> hosts) {
        Set<String> all = new HashSet<>(listedHosts);
        all.addAll(normalised(hosts));
        return new OutboundRule(all, resolver);
    }

    public boolean isListed(String host) {
        return listedHosts.contains(normalise(host));
    }

    /**
     * Why no request may be sent to {@code target}, in words fit for a client or a log (the host, never a resolved
     * address); empty when it may.
     */
    public Optional<String> refusal(URI target) {
        String host = target.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("the URL names no host");
        }
        if (isListed(host)) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(normalise(host));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.of("host " + host + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (InternalAddresses.isInternal(address)) {
                return Optional.of("host " + host + " is or resolves to a loopback, link-local, private or other"
                        + " non-public address, which this server does not call unless the host is listed in"
                        + " alongside.outbound.allowed-hosts");
            }
        }
        return addresses.length == 0 ? Optional.of("host " + host + " cannot be resolved") : Optional.empty();
    }

    private static Set<String> normalised(Collection<String> hosts) {
        Set<String> set = new HashSet<>();
        for (String host : hosts) {
            if (host != null && !host.isBlank()) {
                set.add(normalise(host.trim()));
            }
        }
        return Set.copyOf(set);
    }

    /** Lower case, without the brackets of an IPv6 literal ({@code [::1]} is {@code ::1}). */
    private static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }
}
