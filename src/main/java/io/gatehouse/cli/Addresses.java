package io.gatehouse.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Bind addresses as users should read them. */
final class Addresses {
    private Addresses() {
    }

    /** The host part of a URL a user can paste: wildcard binds are reached through localhost. */
    static String forUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "localhost";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** True only for addresses that nothing outside this machine can reach. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
