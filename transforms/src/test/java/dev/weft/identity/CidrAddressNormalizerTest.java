package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Optional;
import org.junit.Test;

/** cidr-address: an IPAM's "address/prefix length" becomes the bare address telemetry carries. */
public class CidrAddressNormalizerTest {
  private static Optional<String> cidr(String v) {
    return Normalizer.byPolicyName("cidr-address").orElseThrow().apply(v);
  }

  @Test
  public void anIpv4AddressLosesItsPrefixLength() {
    assertThat(cidr("192.168.0.1/22"), equalTo(Optional.of("192.168.0.1")));
    assertThat(cidr(" 10.0.1.11/32 "), equalTo(Optional.of("10.0.1.11")));
    assertThat(cidr("10.0.0.0/0"), equalTo(Optional.of("10.0.0.0")));
  }

  @Test
  public void anIpv6AddressLosesItsPrefixLengthAndIsWrittenCanonically() {
    assertThat(cidr("2001:db8:0:1::1/64"), equalTo(Optional.of("2001:db8:0:1::1")));
    // RFC 5952: lower case, the longest run of zero groups shortened.
    assertThat(cidr("2001:DB8:0:0:0:0:0:1/128"), equalTo(Optional.of("2001:db8::1")));
  }

  @Test
  public void aBareAddressIsTheIpNormalizersResult() {
    assertThat(cidr("10.0.1.11"), equalTo(Optional.of("10.0.1.11")));
    assertThat(cidr("2001:DB8::1"), equalTo(Normalizer.IP.apply("2001:DB8::1")));
  }

  @Test
  public void notAnAddressWithAValidPrefixIsLeftAsText() {
    assertThat(cidr("10.0.1.11/33"), equalTo(Optional.of("10.0.1.11/33")));
    assertThat(cidr("2001:db8::1/129"), equalTo(Optional.of("2001:db8::1/129")));
    assertThat(cidr("web-01/24"), equalTo(Optional.of("web-01/24")));
    assertThat(cidr("999.1.1.1/8"), equalTo(Optional.of("999.1.1.1/8")));
  }

  @Test
  public void thePolicyParserKnowsTheName() {
    IdentityPolicy p = IdentityPolicy.parse("version: 1\nextends: builtin\n"
        + "normalize:\n  ip.address: [cidr-address]\n", "test.yaml");
    assertThat(p.normalizersFor("ip.address"), equalTo(java.util.List.of(Normalizer.CIDR_ADDRESS)));
  }
}
