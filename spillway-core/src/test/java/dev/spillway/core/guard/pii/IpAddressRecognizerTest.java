package dev.spillway.core.guard.pii;

import static dev.spillway.core.guard.pii.Spans.found;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressRecognizerTest {
  private final IpAddressRecognizer ips = new IpAddressRecognizer();

  @ParameterizedTest
  @ValueSource(strings = {
    "192.168.1.10", "10.0.0.1", "0.0.0.0", "255.255.255.255", "8.8.8.8", // IPv4
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334", "2001:DB8::1", "::1", "fe80::",
    "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.128", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7::"
  })
  void findsAddresses(String address) {
    assertThat(found(ips, "Host " + address + " answered.")).containsExactly(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "256.1.1.1", "1.2.3.300", // parts over 255
    "10.010.0.1", "01.2.3.4", // leading zeros
    "1.2.3.4.5", "10.0.0", "1.2.3.", // not four parts
    "v1.2.3.4", "1.2.3.4b", "host.10.0.0.1", // inside a token
    "version 1.2.3.4", "Release: 4.2.0.1", "build 10.0.19041.1", "section 4.2.1.3", "Sec. 4.2.1.3", "§ 4.2.1.3",
    "clause 9.8.17.199",
    "12:30:45", "00:1a:2b:3c:4d:5e", // a time, a MAC address
    "2001:db8::1::2", "2001:db8:0:0:0:0:0:0:1", "12345::1", "2001:db8::g", "::ffff:256.0.0.1", "::",
    "std::vector", "a:b:c:d"
  })
  void refusesNearMisses(String text) {
    assertThat(found(ips, "ref " + text + " end")).isEmpty();
  }

  @Test
  void punctuationPortsAndZonesStayOutside() {
    assertThat(found(ips, "Ping 10.0.0.1.")).containsExactly("10.0.0.1");
    assertThat(found(ips, "at 10.0.0.1:8080/path")).containsExactly("10.0.0.1");
    assertThat(found(ips, "net 10.0.0.0/8")).containsExactly("10.0.0.0");
    assertThat(found(ips, "http://[2001:db8::1]:8443/")).containsExactly("2001:db8::1");
    assertThat(found(ips, "fe80::1%eth0")).containsExactly("fe80::1");
    assertThat(found(ips, "addr:fe80::1: the router")).containsExactly("fe80::1");
    assertThat(found(ips, "Is it ::1.")).containsExactly("::1");
    assertThat(found(ips, "from 10.0.0.1-10.0.0.9")).containsExactly("10.0.0.1", "10.0.0.9");
  }

  @Test
  void aBareFourPartVersionCannotBeToldFromAnAddress() {
    assertThat(found(ips, "Upgraded the agent to 5.7.10.181 last night.")).containsExactly("5.7.10.181");
    assertThat(found(ips, "the server at 10.2.3.4")).as("a word before that numbers nothing").hasSize(1);
  }

  @Test
  void anEmbeddedIpv4IsOneAddressNotTwo() {
    String text = "mapped ::ffff:192.0.2.128 here";
    assertThat(ips.find(text)).containsExactly(new PiiSpan(7, 25));
  }

  @Test
  void literalValidation() {
    assertThat(IpAddressRecognizer.ipv4("192.0.2.1")).isTrue();
    assertThat(IpAddressRecognizer.ipv4("192.0.2.01")).isFalse();
    assertThat(IpAddressRecognizer.ipv4("1234.0.2.1")).isFalse();
    assertThat(IpAddressRecognizer.ipv6("1:2:3:4:5:6:1.2.3.4")).isTrue();
    assertThat(IpAddressRecognizer.ipv6("1:2:3:4:5:6:7:1.2.3.4")).isFalse();
    assertThat(IpAddressRecognizer.ipv6("1.2.3.4::")).isFalse();
    assertThat(IpAddressRecognizer.ipv6("::1.2.3.4")).isTrue();
    assertThat(IpAddressRecognizer.ipv6("1::2:3:4:5:6:7:8")).isFalse();
  }
}
