package io.github.jglommio.net;

import io.github.jglommio.sys.Net;

/**
 * The int-valued socket options the public socket types expose: each with its {@code setsockopt}
 * level and name, and, where a caller picks the value, the range it must lie in and the label an
 * out-of-range error names. The constant's name is how failure messages spell the option.
 */
enum IntOption {
    SO_REUSEADDR(Net.SOL_SOCKET, Net.SO_REUSEADDR),
    SO_REUSEPORT(Net.SOL_SOCKET, Net.SO_REUSEPORT),
    SO_BROADCAST(Net.SOL_SOCKET, Net.SO_BROADCAST),
    SO_SNDBUF(Net.SOL_SOCKET, Net.SO_SNDBUF, "send buffer size", 1, Integer.MAX_VALUE),
    SO_RCVBUF(Net.SOL_SOCKET, Net.SO_RCVBUF, "receive buffer size", 1, Integer.MAX_VALUE),
    TCP_NODELAY(Net.IPPROTO_TCP, Net.TCP_NODELAY),
    IP_TTL(Net.IPPROTO_IP, Net.IP_TTL, "ttl", 1, 255),
    IP_MULTICAST_LOOP(Net.IPPROTO_IP, Net.IP_MULTICAST_LOOP),
    IP_MULTICAST_TTL(Net.IPPROTO_IP, Net.IP_MULTICAST_TTL, "multicast ttl", 0, 255),
    IPV6_UNICAST_HOPS(Net.IPPROTO_IPV6, Net.IPV6_UNICAST_HOPS, "ttl", 1, 255),
    IPV6_MULTICAST_LOOP(Net.IPPROTO_IPV6, Net.IPV6_MULTICAST_LOOP),
    IPV6_MULTICAST_HOPS(Net.IPPROTO_IPV6, Net.IPV6_MULTICAST_HOPS, "multicast hops", 0, 255);

    final int level;
    final int option;
    private final String label;
    private final int min;
    private final int max;

    /** An on/off option: any int is passed through (the public methods take a boolean). */
    IntOption(int level, int option) {
        this(level, option, null, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    IntOption(int level, int option, String label, int min, int max) {
        this.level = level;
        this.option = option;
        this.label = label;
        this.min = min;
        this.max = max;
    }

    /** @throws IllegalArgumentException when {@code value} is out of this option's range */
    void requireValid(int value) {
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? "positive" : "between " + min + " and " + max;
            throw new IllegalArgumentException(label + " must be " + range + ", got " + value);
        }
    }
}
