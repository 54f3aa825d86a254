//! What changed between two consecutive sightings of one packet, in words:
//! "+4 802.1Q tag (VLAN 100)", "+2 unexplained bytes 25 7f",
//! "destination 192.168.10.150 → 10.0.0.5 (DNAT)", "TTL 64 → 63",
//! "+50 VXLAN encapsulation". Each change also carries the bytes it adds or
//! removes, so that a journey's length differences add up.

use crate::frame::ledger::RegionKind;
use crate::path::identity::{Facts, RegionFacts, REGION_HEAD};
use crate::wire::Layer;

/// What kind of change; the capture-wide findings group by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// VLAN tags pushed, popped or rewritten.
    Tag,
    /// An encapsulation added or removed.
    Tunnel,
    /// The link header changed (Ethernet seen as Linux cooked, ...).
    LinkHeader,
    /// Bytes after the datagram appeared, vanished or changed.
    Region(RegionKind),
    /// The innermost datagram itself changed length.
    Datagram,
    /// Addresses or ports rewritten.
    Nat,
    /// TTL or hop limit.
    Ttl,
    /// The TCP MSS option rewritten (clamping).
    Mss,
    /// One datagram seen whole at one point and in several frames at the
    /// next, or the other way round (fragmentation, TSO/GSO, GRO).
    Split,
}

/// One change between two points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Bytes the change adds to the frame (negative: removes).
    pub bytes: i64,
    pub words: String,
}

fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{n}")
    } else {
        format!("−{}", n.unsigned_abs())
    }
}

fn hex(r: &RegionFacts) -> String {
    let shown = (r.len as usize).min(REGION_HEAD);
    let mut s: Vec<String> = r.head[..shown].iter().map(|b| format!("{b:02x}")).collect();
    if r.len as usize > REGION_HEAD {
        s.push("…".into());
    }
    s.join(" ")
}

fn region_words(r: &RegionFacts) -> String {
    match r.kind {
        RegionKind::Trailer => format!("{} unexplained byte{} {}", r.len, crate::text::plural(r.len), hex(r)),
        RegionKind::Vendor => format!("{} bytes of vendor trailer {}", r.len, hex(r)),
        RegionKind::Fcs => "4 bytes FCS".to_string(),
        RegionKind::Icv => format!("{} bytes MACsec ICV", r.len),
        RegionKind::Padding => format!("{} padding", crate::text::count(r.len, "byte")),
    }
}

fn tunnel_name(l: Layer) -> &'static str {
    match l {
        Layer::Ipv4 | Layer::Ipv6 => "IP-in-IP",
        other => other.name(),
    }
}

/// Which end of a packet a translation rewrites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum End {
    Source,
    Destination,
}

/// The translations seen so far (`end`, before, after): a later rewrite of
/// the other end from `after` back to `before` is the reply's reverse
/// translation, not a second NAT. Bounded: the oldest are forgotten.
#[derive(Clone, Debug, Default)]
pub struct Translations {
    seen: std::collections::VecDeque<(End, String, String)>,
}

/// Translations remembered for telling their reverses.
const MAX_TRANSLATIONS: usize = 1024;

impl Translations {
    fn note(&mut self, end: End, before: &str, after: &str) {
        if self.seen.iter().any(|(e, b, a)| *e == end && b == before && a == after) {
            return;
        }
        if self.seen.len() >= MAX_TRANSLATIONS {
            self.seen.pop_front();
        }
        self.seen.push_back((end, before.to_string(), after.to_string()));
    }

    /// A rewrite `x → y` undoes a translation of `end` `y → x`.
    fn undoes(&self, end: End, x: &str, y: &str) -> bool {
        self.seen.iter().any(|(e, b, a)| *e == end && b == y && a == x)
    }
}

/// The changes from `a` (earlier point) to `b` (the next one), in the order
/// a frame is read: link header, tags, tunnel, datagram, rewrites, bytes after.
pub fn between(a: &Facts, b: &Facts, translations: &mut Translations) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |kind, bytes: i64, words: String| out.push(Change { kind, bytes, words });
    if a.link != b.link || a.link_header_len != b.link_header_len {
        let name = |f: &Facts| f.link.map_or("no link header", |l| l.name());
        let d = i64::from(b.link_header_len) - i64::from(a.link_header_len);
        push(
            ChangeKind::LinkHeader,
            d,
            format!(
                "{} link header: {} ({}) → {} ({})",
                signed(d),
                name(a),
                a.link_header_len,
                name(b),
                b.link_header_len
            ),
        );
    }
    let (ta, tb) = (usize::from(a.tags).min(a.vlans.len()), usize::from(b.tags).min(b.vlans.len()));
    let (va, vb) = (&a.vlans[..ta], &b.vlans[..tb]);
    // A tag's kind by its TPID: an 802.1ad S-tag is not an 802.1Q tag.
    let kind = |tpid: u16| match tpid {
        crate::wire::ethernet::ethertype::QINQ => "802.1ad S-tag",
        t => crate::wire::ethernet::ethertype_name(t)
            .filter(|_| t != crate::wire::ethernet::ethertype::VLAN)
            .unwrap_or("802.1Q tag"),
    };
    if va != vb || a.tpids[..ta] != b.tpids[..tb] {
        if ta == tb {
            for i in 0..ta {
                let (x, y) = (va[i], vb[i]);
                if x != y {
                    push(ChangeKind::Tag, 0, format!("VLAN {x} → {y}"));
                }
                if a.tpids[i] != b.tpids[i] {
                    push(ChangeKind::Tag, 0, format!("{} (VLAN {y}) → {}", kind(a.tpids[i]), kind(b.tpids[i])));
                }
            }
        } else if tb > ta {
            // Tags are pushed on the outside: the new ones are the first.
            for (v, t) in vb[..tb - ta].iter().zip(&b.tpids) {
                push(ChangeKind::Tag, 4, format!("+4 {} (VLAN {v})", kind(*t)));
            }
        } else {
            for (v, t) in va[..ta - tb].iter().zip(&a.tpids) {
                push(ChangeKind::Tag, -4, format!("−4 {} (VLAN {v})", kind(*t)));
            }
        }
    } else if a.tags != b.tags {
        let d = 4 * (i64::from(b.tags) - i64::from(a.tags));
        push(ChangeKind::Tag, d, format!("{} bytes of tags ({} → {})", signed(d), a.tags, b.tags));
    }
    match (a.tunnel, b.tunnel) {
        (None, Some((l, n))) => push(ChangeKind::Tunnel, n.into(), format!("+{n} {} encapsulation", tunnel_name(l))),
        (Some((l, n)), None) => {
            push(ChangeKind::Tunnel, -i64::from(n), format!("−{n} {} decapsulation", tunnel_name(l)))
        }
        (Some((la, na)), Some((lb, nb))) if la != lb || na != nb => {
            let d = i64::from(nb) - i64::from(na);
            push(
                ChangeKind::Tunnel,
                d,
                format!("{} encapsulation: {} ({na}) → {} ({nb})", signed(d), tunnel_name(la), tunnel_name(lb)),
            )
        }
        _ => {}
    }
    let (ia, ib) = (&a.inner, &b.inner);
    if ia.datagram_len != ib.datagram_len {
        let d = i64::from(ib.datagram_len) - i64::from(ia.datagram_len);
        push(
            ChangeKind::Datagram,
            d,
            format!("{} datagram: {} → {} bytes", signed(d), ia.datagram_len, ib.datagram_len),
        );
    }
    // NAT names by what the rewrite does: a new destination is DNAT, a new
    // source SNAT; a rewrite that undoes one seen before is its reverse
    // (conntrack translates a reply back: the DNATed request's reply gets
    // its source back, DOMAIN.md "Paths in Kubernetes").
    let mut nat = |end: End, what: &str, x: String, y: String| {
        // Addresses and ports are told apart in the table by what they are.
        let (kx, ky) = (format!("{what}{x}"), format!("{what}{y}"));
        let (word, reverse) = match end {
            End::Destination => ("destination", translations.undoes(End::Source, &kx, &ky)),
            End::Source => ("source", translations.undoes(End::Destination, &kx, &ky)),
        };
        let kind = match (end, reverse) {
            (End::Destination, false) => "DNAT".to_string(),
            (End::Source, false) => "SNAT".to_string(),
            (End::Destination, true) => "the reply's un-SNAT, the reverse of the SNAT on the way out".to_string(),
            (End::Source, true) => "the reply's un-DNAT, the reverse of the DNAT on the way in".to_string(),
        };
        if !reverse {
            translations.note(end, &kx, &ky);
        }
        push(ChangeKind::Nat, 0, format!("{word} {what}{x} → {y} ({kind})"));
    };
    if ia.dst != ib.dst {
        nat(End::Destination, "", ia.dst.to_string(), ib.dst.to_string());
    }
    if ia.src != ib.src {
        nat(End::Source, "", ia.src.to_string(), ib.src.to_string());
    }
    if ia.has_ports && ib.has_ports {
        if ia.dst_port != ib.dst_port {
            nat(End::Destination, "port ", ia.dst_port.to_string(), ib.dst_port.to_string());
        }
        if ia.src_port != ib.src_port {
            nat(End::Source, "port ", ia.src_port.to_string(), ib.src_port.to_string());
        }
    }
    let ttl_name = if matches!(ia.src, crate::path::identity::Addr::V6(_)) { "hop limit" } else { "TTL" };
    if ia.ttl != ib.ttl {
        push(ChangeKind::Ttl, 0, format!("{ttl_name} {} → {}", ia.ttl, ib.ttl));
    }
    if let (Some(x), Some(y)) = (a.outer_ttl, b.outer_ttl) {
        if x != y {
            push(ChangeKind::Ttl, 0, format!("outer TTL or hop limit {x} → {y} (the underlay routed it)"));
        }
    }
    // Clamping rewrites the MSS option of SYNs in flight (iptables'
    // TCPMSS --clamp-mss-to-pmtu): the length stays, the promise shrinks.
    if let (Some(x), Some(y)) = (a.mss, b.mss) {
        if x != y {
            push(ChangeKind::Mss, 0, format!("TCP MSS option {x} → {y} (clamped)"));
        }
    }
    for kind in RegionKind::ALL {
        let ra = a.regions.iter().flatten().find(|r| r.kind == kind);
        let rb = b.regions.iter().flatten().find(|r| r.kind == kind);
        match (ra, rb) {
            (None, Some(r)) => push(ChangeKind::Region(kind), r.len.into(), format!("+{}", region_words(r))),
            (Some(r), None) => push(ChangeKind::Region(kind), -i64::from(r.len), format!("−{}", region_words(r))),
            (Some(x), Some(y)) if x != y => {
                let d = i64::from(y.len) - i64::from(x.len);
                push(ChangeKind::Region(kind), d, format!("{}: {} → {}", signed(d), region_words(x), region_words(y)))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::identity::{Addr, Inner, Part, MAX_REGIONS, MAX_TAGS};

    fn facts() -> Facts {
        Facts {
            link: Some(Layer::Ethernet),
            link_header_len: 14,
            vlans: [0; MAX_TAGS],
            tpids: [0; MAX_TAGS],
            tags: 0,
            outer_ttl: None,
            mss: None,
            part: Part::default(),
            too_big: None,
            tunnel: None,
            inner: Inner {
                src: Addr::V4([10, 0, 0, 1]),
                dst: Addr::V4([10, 0, 0, 2]),
                ttl: 64,
                datagram_len: 60,
                protocol: 6,
                src_port: 40_000,
                dst_port: 80,
                has_ports: true,
            },
            regions: [None; MAX_REGIONS],
            dropped: false,
            measured: 0,
        }
    }

    fn words(a: &Facts, b: &Facts, t: &mut Translations) -> Vec<String> {
        between(a, b, t).into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn an_s_tag_is_named_by_its_tpid() {
        // IEEE 802.1ad: TPID 0x88a8 marks a service tag, 0x8100 a customer tag.
        let mut s_tagged = facts();
        (s_tagged.tags, s_tagged.vlans[0], s_tagged.tpids[0]) = (1, 200, 0x88a8);
        let mut c_tagged = facts();
        (c_tagged.tags, c_tagged.vlans[0], c_tagged.tpids[0]) = (1, 200, 0x8100);
        let t = &mut Translations::default();
        assert_eq!(words(&facts(), &s_tagged, t), ["+4 802.1ad S-tag (VLAN 200)"]);
        assert_eq!(words(&facts(), &c_tagged, t), ["+4 802.1Q tag (VLAN 200)"]);
        assert_eq!(words(&c_tagged, &s_tagged, t), ["802.1Q tag (VLAN 200) → 802.1ad S-tag"]);
    }

    #[test]
    fn clamping_and_an_underlay_hop_are_named_though_the_length_stays() {
        // iptables' TCPMSS target rewrites the SYN's MSS option; the outer
        // header of a tunnel is routed by the underlay (TTL − 1).
        let (mut a, mut b) = (facts(), facts());
        (a.mss, b.mss) = (Some(1460), Some(1410));
        (a.outer_ttl, b.outer_ttl) = (Some(64), Some(63));
        let changes = between(&a, &b, &mut Translations::default());
        let w: Vec<&str> = changes.iter().map(|c| c.words.as_str()).collect();
        assert_eq!(
            w,
            ["outer TTL or hop limit 64 → 63 (the underlay routed it)", "TCP MSS option 1460 → 1410 (clamped)"]
        );
        assert!(changes.iter().all(|c| c.bytes == 0));
    }

    #[test]
    fn the_reply_of_a_dnat_is_its_reverse_not_an_snat() {
        // conntrack keeps one entry per connection and translates the reply
        // back (DOMAIN.md: kube-proxy un-DNATs the reply on the sending node).
        let t = &mut Translations::default();
        let request = facts();
        let mut dnat = facts();
        (dnat.inner.dst, dnat.inner.dst_port) = (Addr::V4([10, 244, 1, 7]), 8080);
        assert_eq!(
            words(&request, &dnat, t),
            ["destination 10.0.0.2 → 10.244.1.7 (DNAT)", "destination port 80 → 8080 (DNAT)"]
        );
        let mut reply = facts();
        (reply.inner.src, reply.inner.dst, reply.inner.src_port, reply.inner.dst_port) =
            (Addr::V4([10, 244, 1, 7]), Addr::V4([10, 0, 0, 1]), 8080, 40_000);
        let mut back = reply;
        (back.inner.src, back.inner.src_port) = (Addr::V4([10, 0, 0, 2]), 80);
        assert_eq!(
            words(&reply, &back, t),
            [
                "source 10.244.1.7 → 10.0.0.2 (the reply's un-DNAT, the reverse of the DNAT on the way in)",
                "source port 8080 → 80 (the reply's un-DNAT, the reverse of the DNAT on the way in)"
            ]
        );
        // Another host's source rewrite is a translation of its own.
        let mut other = reply;
        other.inner.src = Addr::V4([192, 0, 2, 9]);
        let mut snat = other;
        snat.inner.src = Addr::V4([198, 51, 100, 1]);
        assert_eq!(words(&other, &snat, t), ["source 192.0.2.9 → 198.51.100.1 (SNAT)"]);
    }
}
