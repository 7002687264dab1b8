package dev.clawauth.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Where the gateway listens, from {@code --bind} or the config's {@code gateway.bind}: an address or
 * host name, or one of OpenClaw's bind modes, which is what a config written by OpenClaw holds
 * ({@code loopback}, {@code lan}, {@code tailnet}, {@code auto}, {@code custom} with
 * {@code gateway.customBindHost}).
 *
 * @param address what to bind
 * @param note something the operator should know (a mode that could not be honoured), or null
 */
public record BindAddress(InetAddress address, String note) {

  /** Resolves {@code bind} against this host's interfaces. */
  public static BindAddress resolve(String bind, String customBindHost) throws UnknownHostException {
    return resolve(bind, customBindHost, interfaceAddresses());
  }

  static BindAddress resolve(String bind, String customBindHost, List<InetAddress> interfaces)
      throws UnknownHostException {
    String b = bind == null ? "loopback" : bind.strip();
    return switch (b.toLowerCase(Locale.ROOT)) {
      case "", "loopback", "auto" -> new BindAddress(loopback(), null);
      case "lan" -> new BindAddress(InetAddress.getByName("0.0.0.0"), null);
      case "tailnet" -> interfaces.stream().filter(BindAddress::tailnet).findFirst()
          .map(a -> new BindAddress(a, null))
          .orElse(new BindAddress(loopback(), "bind \"tailnet\": no Tailscale address (100.64.0.0/10) is up,"
              + " so the gateway listens on 127.0.0.1 only"));
      case "custom" -> {
        if (customBindHost == null || customBindHost.isBlank()) {
          throw new IllegalArgumentException("gateway.bind is \"custom\" but gateway.customBindHost is not set;"
              + " set it to the address to listen on, or pass --bind <address>");
        }
        yield new BindAddress(InetAddress.getByName(customBindHost.strip()), null);
      }
      default -> new BindAddress(InetAddress.getByName(b), null);
    };
  }

  private static InetAddress loopback() throws UnknownHostException {
    return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
  }

  /** Tailscale hands out addresses from the CGNAT range 100.64.0.0/10. */
  static boolean tailnet(InetAddress a) {
    byte[] b = a.getAddress();
    return a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
  }

  private static List<InetAddress> interfaceAddresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (ni.isUp()) {
          out.addAll(Collections.list(ni.getInetAddresses()));
        }
      }
    } catch (SocketException unreadable) {
      // no interfaces to offer: tailnet falls back to loopback and says so
    }
    return out;
  }
}
