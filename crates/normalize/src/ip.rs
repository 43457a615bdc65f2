//! IPv4 and IPv6 addresses in canonical text (RFC 5952 for IPv6).

use crate::{NormalizeError, Normalized, text};
use std::net::IpAddr;
use warroom_domain::IdentifierKind;

const KIND: IdentifierKind = IdentifierKind::Ip;

pub(crate) fn normalize(raw: &str) -> Result<Normalized, NormalizeError> {
    let folded = text::refang(&text::fold(raw));
    let t = folded.trim_start_matches('[').trim_end_matches(']');
    if t.contains('%') {
        return Err(NormalizeError::invalid(
            KIND,
            "zone_id",
            "IPv6 zone identifiers are local to one host",
        ));
    }
    // std rejects IPv4 octets with leading zeros ("010.0.0.1"), which some tools read as octal:
    // such a value is ambiguous and must not correlate with either reading.
    let addr: IpAddr = t
        .parse()
        .map_err(|_| NormalizeError::invalid(KIND, "syntax", "not an IPv4 or IPv6 address"))?;
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the same host as the IPv4 address.
    let addr = match addr {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    let scope = match addr {
        IpAddr::V4(a)
            if a.is_private() || a.is_loopback() || a.is_link_local() || a.is_unspecified() =>
        {
            "private"
        }
        IpAddr::V6(a)
            if a.is_loopback()
                || a.is_unspecified()
                || a.is_unique_local()
                || a.is_unicast_link_local() =>
        {
            "private"
        }
        _ => "public",
    };
    let mut n = Normalized::new(raw, KIND, addr.to_string())?;
    n.subtype = Some(format!(
        "{}-{scope}",
        if addr.is_ipv4() { "ipv4" } else { "ipv6" }
    ));
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> Result<String, &'static str> {
        normalize(s)
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    #[test]
    fn canonical_text() {
        assert_eq!(canon("192.0.2.1"), Ok("192.0.2.1".into()));
        assert_eq!(canon("192[.]0[.]2[.]1"), Ok("192.0.2.1".into()));
        assert_eq!(canon("2001:DB8:0:0:0:0:0:1"), Ok("2001:db8::1".into()));
        assert_eq!(canon("[2001:db8::1]"), Ok("2001:db8::1".into()));
        assert_eq!(canon("::ffff:192.0.2.1"), Ok("192.0.2.1".into()));
        assert_eq!(canon("010.0.0.1"), Err("syntax"));
        assert_eq!(canon("fe80::1%eth0"), Err("zone_id"));
        assert_eq!(canon("256.1.1.1"), Err("syntax"));
    }

    #[test]
    fn scope_is_reported() {
        assert_eq!(
            normalize("10.1.2.3").unwrap().subtype.as_deref(),
            Some("ipv4-private")
        );
        assert_eq!(
            normalize("8.8.8.8").unwrap().subtype.as_deref(),
            Some("ipv4-public")
        );
    }
}
