package io.oshigan.gateway.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who the client is behind trusted proxies: the TCP peer, or, when the peer is a trusted proxy, the right-most
 * address in X-Forwarded-For that is not itself a trusted proxy. Read right to left because proxies append: a
 * client can put anything at the left end of the header, never at the right.
 */
final class ClientAddress {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");
    private final List<Cidr> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    String of(String peer, String forwardedFor) {
        if (forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        if (address == null || !LITERAL.matcher(address).matches()) {
            return false; // only literal addresses are compared: never a name lookup for a header's value
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            return trusted.stream().anyMatch(c -> c.contains(parsed));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An address block, e.g. 10.0.0.0/8 or 127.0.0.1 (one address). */
    record Cidr(BigInteger network, int prefix, int bits) {
        static Cidr parse(String text) {
            String[] parts = text.split("/");
            try {
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = address.length * 8;
                int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
                if (!LITERAL.matcher(parts[0]).matches() || prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("not an address block: " + text);
                }
                return new Cidr(new BigInteger(1, address).shiftRight(bits - prefix), prefix, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an address block: " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length * 8 == bits && new BigInteger(1, bytes).shiftRight(bits - prefix).equals(network);
        }
    }
}
