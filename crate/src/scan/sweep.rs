//! The ping sweep: what echo requests of several sizes from one sender to one
//! target say about the path, even when the capture is taken at the far end
//! and nothing in its own frames is wrong.
//!
//! The largest answered request and the smallest unanswered one bracket the
//! size the path carries. When that size is below the MTU and no ICMP error
//! came back, something on the path adds bytes or a link is smaller: the
//! number of bytes short names the usual suspects (a driver trailer, a VLAN
//! tag, PPPoE, a tunnel's headers).

use crate::frame::mtu::{drops, evaluate, MtuFacts};
use crate::settings::Settings;
use crate::text::{plural, thousands};
use serde::{Deserialize, Serialize};

/// A sweep needs this many distinct payload sizes from one sender to one
/// target: one big echo left unanswered beside a small answered one is not
/// evidence about sizes.
pub const MIN_SWEEP_SIZES: usize = 3;

/// One echo request, as the sweep sees it.
#[derive(Clone, Copy, Debug)]
pub struct EchoSample {
    pub payload: u32,
    pub frame: u64,
    pub answered: bool,
    pub facts: MtuFacts,
}

/// How much the sizes prove.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Several sizes answered, every larger request (two or more) lost, no smaller one lost.
    Firm,
    /// The boundary holds, with a little loss below it or a single answered size.
    Likely,
    /// A single request above the boundary: a chance loss explains it as well.
    Tentative,
    /// Smaller requests went unanswered too: replies are lost for another reason.
    Weak,
}

/// The numbers behind a ping-sweep finding (`"facts"` in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepFacts {
    pub largest_answered_payload: u32,
    pub smallest_unanswered_payload: u32,
    /// The datagram of the largest answered request (payload + ICMP + IP headers).
    pub largest_passing_datagram: u32,
    pub smallest_unanswered_datagram: u32,
    pub mtu: u32,
    /// MTU minus the largest passing datagram, when the lost datagrams fit the
    /// MTU; `None` when the answered sizes reach the MTU or the smallest lost
    /// datagram is already over it (then the MTU explains the loss).
    pub bytes_short_of_mtu: Option<u32>,
    pub confidence: Confidence,
}

/// A sweep found among one sender's requests to one target.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub facts: SweepFacts,
    /// Unanswered requests above the largest answered one, in frame order.
    pub unanswered: Vec<u64>,
    /// The smallest unanswered request (the first of that size).
    pub first_lost: EchoSample,
    answered_sizes: usize,
    lost_below: usize,
    below: usize,
}

impl Sweep {
    /// The sweep in `samples` (one sender's requests to one target), if
    /// they are one: [`MIN_SWEEP_SIZES`] distinct sizes, some answered, and
    /// an unanswered one larger than every answered one.
    pub fn of(samples: &[EchoSample], mtu: u32) -> Option<Sweep> {
        let mut sizes: Vec<u32> = samples.iter().map(|s| s.payload).collect();
        sizes.sort_unstable();
        sizes.dedup();
        if sizes.len() < MIN_SWEEP_SIZES {
            return None;
        }
        let ok = samples.iter().filter(|s| s.answered).max_by_key(|s| (s.payload, std::cmp::Reverse(s.frame)))?;
        let first_lost = samples
            .iter()
            .filter(|s| !s.answered && s.payload > ok.payload)
            .min_by_key(|s| (s.payload, s.frame))
            .copied()?;
        let mut unanswered: Vec<u64> =
            samples.iter().filter(|s| !s.answered && s.payload > ok.payload).map(|s| s.frame).collect();
        unanswered.sort_unstable();
        let mut answered_sizes: Vec<u32> = samples.iter().filter(|s| s.answered).map(|s| s.payload).collect();
        answered_sizes.sort_unstable();
        answered_sizes.dedup();
        let below = samples.iter().filter(|s| s.payload <= ok.payload).count();
        let lost_below = samples.iter().filter(|s| s.payload <= ok.payload && !s.answered).count();

        let passing = datagram(ok);
        let lost = datagram(&first_lost);
        let bytes_short_of_mtu = (passing < mtu && lost <= mtu).then(|| mtu - passing);
        let confidence = if lost_below > 0 && lost_below * 4 >= below {
            Confidence::Weak
        } else if unanswered.len() < 2 {
            Confidence::Tentative
        } else if lost_below == 0 && answered_sizes.len() >= 2 {
            Confidence::Firm
        } else {
            Confidence::Likely
        };
        Some(Sweep {
            facts: SweepFacts {
                largest_answered_payload: ok.payload,
                smallest_unanswered_payload: first_lost.payload,
                largest_passing_datagram: passing,
                smallest_unanswered_datagram: lost,
                mtu,
                bytes_short_of_mtu,
                confidence,
            },
            unanswered,
            first_lost,
            answered_sizes: answered_sizes.len(),
            lost_below,
            below,
        })
    }

    /// The finding's sentence. `v6` names the protocol; `icmp_error` is
    /// whether the capture holds a fragmentation-needed (or Packet Too Big)
    /// message of that family.
    pub fn sentence(&self, v6: bool, icmp_error: bool, settings: &Settings) -> String {
        let f = &self.facts;
        let proto = if v6 { "ICMPv6" } else { "ICMP" };
        let mut s = format!(
            "Ping sweep: {proto} echo requests with payloads up to {} bytes were answered; from {} bytes none were ({} unanswered request{}, first frame {}).",
            thousands(f.largest_answered_payload.into()),
            thousands(f.smallest_unanswered_payload.into()),
            self.unanswered.len(),
            plural(self.unanswered.len() as u64),
            self.first_lost.frame
        );
        let lost = self.first_lost.facts;
        let (lo, hi) = self.shortfall();
        let trailer_explains = lost.trailer_bytes > 0 && (lo..=hi).contains(&lost.trailer_bytes);
        if f.bytes_short_of_mtu.is_some() && f.confidence != Confidence::Weak {
            s.push(' ');
            s.push_str(&self.far_end(v6, icmp_error, !trailer_explains));
        }
        if lost.trailer_bytes > 0 {
            let verdict = evaluate(&lost, settings);
            let without = MtuFacts { frame_len: lost.frame_len - lost.trailer_bytes, trailer_bytes: 0, ..lost };
            let fits_without = !drops(&without, settings);
            s.push_str(&format!(
                " Each such request carries {} unexplained byte{} after its {}-byte datagram",
                lost.trailer_bytes,
                plural(lost.trailer_bytes),
                thousands(lost.datagram_len.unwrap_or(0).into())
            ));
            if verdict.dropped && fits_without {
                s.push_str(&format!(
                    ", and the MTU rule counts them. {} Without them it would pass.",
                    verdict.sentence
                ));
            } else {
                s.push_str(&format!(". {}", verdict.sentence));
            }
        } else {
            let verdict = evaluate(&lost, settings);
            if verdict.dropped {
                s.push_str(&format!(" {}", verdict.sentence));
            }
        }
        s.push(' ');
        s.push_str(&self.how_sure());
        s
    }

    /// How many bytes below the MTU the path starts losing datagrams: at
    /// least `lo` (it carries at most the smallest lost datagram minus one,
    /// so `MTU + 1 - lost`), at most `hi` (it carries the largest answered
    /// one, so `MTU - passing`). Equal when the two sizes are adjacent.
    fn shortfall(&self) -> (u32, u32) {
        let f = &self.facts;
        let hi = f.mtu.saturating_sub(f.largest_passing_datagram);
        let lo = (f.mtu + 1).saturating_sub(f.smallest_unanswered_datagram).min(hi);
        (lo, hi)
    }

    /// What the far end alone can say: the size the path carries, what the
    /// shortfall usually is, and where to look next (`suspects` false when
    /// the frames' own trailer bytes already account for it).
    fn far_end(&self, v6: bool, icmp_error: bool, suspects: bool) -> String {
        let f = &self.facts;
        let (m, p, l) = (f.mtu, f.largest_passing_datagram, f.smallest_unanswered_datagram);
        let (lo, hi) = self.shortfall();
        let lost_sizes = match m - l {
            0 => format!("{} bytes fit", thousands(l.into())),
            1 => format!("{} and {} bytes fit", thousands(l.into()), thousands(m.into())),
            _ => format!("{} to {} bytes fit", thousands(l.into()), thousands(m.into())),
        };
        let error = match (v6, icmp_error) {
            (false, false) => "No ICMP fragmentation-needed came back.",
            (true, false) => "No ICMPv6 Packet Too Big came back.",
            (false, true) => "ICMP fragmentation-needed did come back (see the path-MTU finding).",
            (true, true) => "ICMPv6 Packet Too Big did come back (see the path-MTU finding).",
        };
        let by = if lo == hi {
            format!("{hi} byte{} below the MTU", plural(hi))
        } else if l - p == 2 {
            format!("{lo} to {hi} bytes below the MTU ({} bytes was not tried)", thousands((p + 1).into()))
        } else {
            format!(
                "{lo} to {hi} bytes below the MTU ({} to {} bytes were not tried)",
                thousands((p + 1).into()),
                thousands((l - 1).into())
            )
        };
        // Result, cause, next step: each its own sentence.
        let mut s = format!(
            "Datagrams up to {} bytes pass; {lost_sizes} MTU {m} but are lost. The path's limit is {by}. {error}",
            thousands(p.into()),
        );
        if suspects {
            s.push(' ');
            s.push_str(&suspects_for(lo, hi, m));
            if lo == hi {
                s.push_str(&format!(
                    " Capture on the next hop, or look for `dropped over-mtu packet: {} > {m}` in its kernel log.",
                    l + hi
                ));
            } else {
                s.push_str(" Capture on the next hop, or look for `dropped over-mtu packet` lines in its kernel log.");
            }
        }
        s
    }

    fn how_sure(&self) -> String {
        let f = &self.facts;
        let a = thousands(f.largest_answered_payload.into());
        let n = self.unanswered.len();
        match f.confidence {
            Confidence::Firm => format!(
                "How sure: firm ({} sizes answered; all {n} larger requests unanswered; no smaller one lost).",
                self.answered_sizes
            ),
            Confidence::Likely => format!(
                "How sure: likely ({} size{} answered; {n} larger requests unanswered; {} of {} smaller requests lost).",
                self.answered_sizes,
                plural(self.answered_sizes as u64),
                self.lost_below,
                self.below
            ),
            Confidence::Tentative => format!(
                "How sure: tentative (a single request above {a} bytes was tried; repeat it to rule out a chance loss)."
            ),
            Confidence::Weak => format!(
                "How sure: weak ({} of {} requests up to {a} bytes went unanswered too, so replies are lost for another reason as well).",
                self.lost_below, self.below
            ),
        }
    }
}

/// The datagram a request made: from its own length field, or the ICMP
/// arithmetic when the capture cut it.
fn datagram(s: &EchoSample) -> u32 {
    s.facts.datagram_len.unwrap_or_else(|| s.payload + 8 + if s.facts.ipv6 { 40 } else { 20 })
}

/// What a path that carries `lo..=hi` bytes less than the MTU usually has on
/// it. The overheads come from the headers' sizes (DOMAIN.md "Sizes").
fn suspects_for(lo: u32, hi: u32, mtu: u32) -> String {
    const KNOWN: &[(u32, &str)] = &[
        (4, "4 bytes is one 802.1Q VLAN tag: a device on the path counts the tag against the MTU"),
        (8, "8 bytes is two VLAN tags (QinQ) or PPPoE (6-byte header + 2-byte PPP protocol, MTU 1492)"),
        (24, "24 bytes is GRE over IPv4 (outer IPv4 20 + GRE 4)"),
        // RFC 7348 §5: the underlay's datagram holds outer IP + UDP + VXLAN
        // + the inner Ethernet header; the outer Ethernet header is not in it.
        (
            50,
            "50 bytes is VXLAN over IPv4 (outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14): the overlay needs MTU 1450, as OpenStack Neutron sets it",
        ),
        (54, "54 bytes is VXLAN over IPv4 carrying VLAN-tagged inner frames (50 + 4)"),
        (70, "70 bytes is VXLAN over IPv6 (outer IPv6 40 + UDP 8 + VXLAN 8 + the inner Ethernet header 14)"),
    ];
    let named: Vec<&str> = KNOWN.iter().filter(|(n, _)| (lo..=hi).contains(n)).map(|(_, t)| *t).collect();
    if lo == hi && hi <= 3 {
        return format!(
            "Something on the path adds {hi} byte{} (for example a NIC driver trailer), or a link's MTU is {}.",
            plural(hi),
            mtu - hi
        );
    }
    if !named.is_empty() {
        let link = if lo == hi { format!(", or a link's MTU is {}", mtu - hi) } else { String::new() };
        return format!("{}{link}.", named.join("; "));
    }
    if lo == hi {
        format!("Something on the path adds {hi} bytes (a tunnel or tag), or a link's MTU is {}.", mtu - hi)
    } else {
        format!(
            "Something on the path adds {lo} to {hi} bytes, or a link's MTU is between {} and {}.",
            mtu - hi,
            mtu - lo
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::link::LinkKind;

    /// An untagged IPv4 echo request of `payload` bytes, as the far end captures it.
    fn req(payload: u32, frame: u64, answered: bool) -> EchoSample {
        let dg = payload + 28;
        EchoSample {
            payload,
            frame,
            answered,
            facts: MtuFacts {
                link: LinkKind::Ethernet,
                frame_len: 14 + dg,
                link_header_len: 14,
                tags: 0,
                datagram_len: Some(dg),
                ipv6: false,
                dont_fragment: true,
                consistent: true,
                tcp_payload: None,
                trailer_bytes: 0,
                macsec_overhead: 0,
            },
        }
    }

    /// `ping -M do` at sizes up to `limit` answered, then three requests
    /// just above it unanswered: a path that carries `1500 - short` bytes.
    fn far_end_sweep(short: u32) -> Sweep {
        let limit = 1472 - short;
        let mut v: Vec<EchoSample> =
            [56, 500, 1000, limit].iter().enumerate().map(|(i, &p)| req(p, i as u64 + 1, true)).collect();
        for (i, p) in [limit + 1, limit + 1, 1472].into_iter().enumerate() {
            v.push(req(p, 10 + i as u64, false));
        }
        Sweep::of(&v, 1500).expect("a sweep")
    }

    #[test]
    fn two_bytes_short_is_the_issue_sentence() {
        let s = far_end_sweep(2);
        assert_eq!(s.facts.largest_passing_datagram, 1498);
        assert_eq!(s.facts.bytes_short_of_mtu, Some(2));
        assert_eq!(s.facts.confidence, Confidence::Firm);
        let text = s.sentence(false, false, &Settings::default());
        assert!(
            text.contains(
                "Datagrams up to 1,498 bytes pass; 1,499 and 1,500 bytes fit MTU 1500 but are lost. The path's \
                 limit is 2 bytes below the MTU. No ICMP fragmentation-needed came back. Something on the path \
                 adds 2 bytes (for example a NIC driver trailer), or a link's MTU is 1498. Capture on the next hop, or \
                 look for `dropped over-mtu packet: 1501 > 1500` in its kernel log."
            ),
            "{text}"
        );
    }

    #[test]
    fn one_byte_short() {
        let s = far_end_sweep(1);
        assert_eq!(s.facts.bytes_short_of_mtu, Some(1));
        let text = s.sentence(false, false, &Settings::default());
        assert!(text.contains("1,500 bytes fit MTU 1500 but are lost"), "{text}");
        assert!(text.contains("adds 1 byte (for example"), "{text}");
    }

    #[test]
    fn four_bytes_short_is_a_vlan_tag() {
        let text = far_end_sweep(4).sentence(false, false, &Settings::default());
        assert!(
            text.contains(
                "4 bytes below the MTU. No ICMP fragmentation-needed came back. 4 bytes is one 802.1Q VLAN tag"
            ),
            "{text}"
        );
        assert!(text.contains("or a link's MTU is 1496."), "{text}");
    }

    #[test]
    fn eight_bytes_short_is_qinq_or_pppoe() {
        let text = far_end_sweep(8).sentence(false, false, &Settings::default());
        assert!(text.contains("8 bytes is two VLAN tags (QinQ) or PPPoE"), "{text}");
    }

    #[test]
    fn fifty_bytes_short_is_vxlan() {
        let s = far_end_sweep(50);
        assert_eq!(s.facts.largest_passing_datagram, 1450);
        let text = s.sentence(false, false, &Settings::default());
        // RFC 7348 §5: the 50 against the underlay's MTU are outer IPv4 20 +
        // UDP 8 + VXLAN 8 + the inner Ethernet header 14; the outer Ethernet
        // header is not in the underlay's datagram.
        assert!(
            text.contains(
                "50 bytes is VXLAN over IPv4 (outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14)"
            ),
            "{text}"
        );
        assert!(!text.contains("outer Ethernet"), "{text}");
        assert!(text.contains("`dropped over-mtu packet: 1501 > 1500`"), "{text}");
    }

    #[test]
    fn no_gap_when_the_answered_sizes_reach_the_mtu() {
        let mut v: Vec<EchoSample> =
            [56, 1000, 1472].iter().enumerate().map(|(i, &p)| req(p, i as u64 + 1, true)).collect();
        v.push(req(1473, 9, false));
        v.push(req(2000, 10, false));
        let s = Sweep::of(&v, 1500).unwrap();
        assert_eq!(s.facts.bytes_short_of_mtu, None);
        let text = s.sentence(false, false, &Settings::default());
        assert!(!text.contains("below the MTU"), "{text}");
    }

    #[test]
    fn replies_lost_for_another_reason_are_a_weak_sweep() {
        // Every other request unanswered, small and large alike.
        let mut v: Vec<EchoSample> = [56, 200, 400, 600, 800, 1000, 1200]
            .iter()
            .enumerate()
            .map(|(i, &p)| req(p, i as u64 + 1, i % 2 == 0))
            .collect();
        v.push(req(1400, 8, false));
        v.push(req(1472, 9, false));
        let s = Sweep::of(&v, 1500).unwrap();
        assert_eq!(s.facts.confidence, Confidence::Weak);
        let text = s.sentence(false, false, &Settings::default());
        assert!(!text.contains("below the MTU"), "a weak sweep infers nothing about the path: {text}");
        assert!(text.contains("How sure: weak (3 of 7 requests up to 1,200 bytes"), "{text}");
    }

    #[test]
    fn one_big_unanswered_echo_beside_a_small_one_is_not_a_sweep() {
        // Two sizes, however far apart, are not a sweep.
        let v = [req(10, 1, true), req(1200, 2, false)];
        assert!(Sweep::of(&v, 1500).is_none());
    }

    #[test]
    fn a_single_request_above_the_boundary_is_tentative() {
        let v = [req(56, 1, true), req(1000, 2, true), req(1470, 3, true), req(1471, 4, false)];
        let s = Sweep::of(&v, 1500).unwrap();
        assert_eq!(s.facts.confidence, Confidence::Tentative);
    }

    #[test]
    fn an_icmp_error_is_acknowledged() {
        let text = far_end_sweep(2).sentence(false, true, &Settings::default());
        assert!(text.contains("ICMP fragmentation-needed did come back"), "{text}");
    }

    #[test]
    fn a_gap_between_the_sizes_gives_a_range() {
        let v = [req(56, 1, true), req(1000, 2, true), req(1400, 3, true), req(1472, 4, false), req(1472, 5, false)];
        let s = Sweep::of(&v, 1500).unwrap();
        assert_eq!(s.facts.bytes_short_of_mtu, Some(72));
        let text = s.sentence(false, false, &Settings::default());
        assert!(
            text.contains("The path's limit is 1 to 72 bytes below the MTU (1,429 to 1,499 bytes were not tried)."),
            "{text}"
        );
        assert!(text.contains("50 bytes is VXLAN"), "{text}");
        // "50 + 4" is a tagged inner frame: a tag on the underlay's own frame
        // is not in its datagram (RFC 7348 §5).
        assert!(text.contains("54 bytes is VXLAN over IPv4 carrying VLAN-tagged inner frames (50 + 4)"), "{text}");
    }
}
