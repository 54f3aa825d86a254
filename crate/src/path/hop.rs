//! A journey's changes hop by hop: between the sightings at consecutive
//! points, and where one point saw the packet in several frames and the
//! next in another number of them, the split or merge itself.

use crate::path::change::{between, Change, ChangeKind, Translations};
use crate::path::journey::{points_of, Sighting};

/// The changes hop by hop: between the sightings of consecutive points,
/// or, where one point saw the packet in several frames and the next in
/// another number of them, the split or merge itself.
pub fn hops(seen: &[Sighting], translations: &mut Translations) -> Vec<(u16, u16, Change)> {
    // The common journey passes each point once: its hops are its sightings'.
    if seen.windows(2).all(|w| w[0].point != w[1].point) && seen.len() <= 2 {
        return seen
            .windows(2)
            .filter_map(|w| Some((w[0].point, w[1].point, w[0].facts.as_ref()?, w[1].facts.as_ref()?)))
            .flat_map(|(a, b, x, y)| between(x, y, translations).into_iter().map(move |c| (a, b, c)))
            .collect();
    }
    let points = points_of(seen);
    let at = |p: u16| seen.iter().filter(move |s| s.point == p).collect::<Vec<_>>();
    let mut out = Vec::new();
    for w in points.windows(2) {
        let (a, b) = (at(w[0]), at(w[1]));
        if a.len() == b.len() {
            for (x, y) in a.iter().zip(&b) {
                if let (Some(fx), Some(fy)) = (&x.facts, &y.facts) {
                    for c in between(fx, fy, translations) {
                        if !out
                            .iter()
                            .any(|(p, q, o): &(u16, u16, Change)| (*p, *q) == (w[0], w[1]) && o.words == c.words)
                        {
                            out.push((w[0], w[1], c));
                        }
                    }
                }
            }
        } else {
            out.push((w[0], w[1], split(&a, &b)));
            // What else the hop did (NAT, TTL, tags, a tunnel), read off the
            // first frame on each side; their sizes are the split's.
            if let (Some(fx), Some(fy)) =
                (a.first().and_then(|x| x.facts.as_ref()), b.first().and_then(|y| y.facts.as_ref()))
            {
                for c in between(fx, fy, translations) {
                    if !matches!(c.kind, ChangeKind::Datagram | ChangeKind::Region(_)) {
                        out.push((w[0], w[1], c));
                    }
                }
            }
        }
    }
    out
}

/// One packet seen in `a.len()` frames at one point and `b.len()` at the
/// next: fragmented or reassembled (RFC 791), cut into segments (TSO/GSO)
/// or merged (GRO), in words with the sizes.
fn split(a: &[&Sighting], b: &[&Sighting]) -> Change {
    let total = |v: &[&Sighting]| v.iter().map(|s| i64::from(s.len)).sum::<i64>();
    let sizes = |v: &[&Sighting]| {
        let d: Vec<u32> = v.iter().map(|s| s.datagram.unwrap_or(s.len)).collect();
        match d.as_slice() {
            [one] => crate::text::thousands((*one).into()),
            [first, rest @ ..] if rest.iter().all(|x| x == first) => {
                format!("{} × {}", d.len(), crate::text::thousands((*first).into()))
            }
            _ if d.len() <= 4 => d.iter().map(|x| crate::text::thousands((*x).into())).collect::<Vec<_>>().join(" + "),
            _ => format!(
                "{} + … + {}",
                crate::text::thousands(d[0].into()),
                crate::text::thousands(d[d.len() - 1].into())
            ),
        }
    };
    let fragments = |v: &[&Sighting]| v.iter().any(|s| s.facts.as_ref().is_some_and(|f| f.part.fragment.is_some()));
    let words = if fragments(b) && !fragments(a) {
        format!("fragmented: {} arrives as {} fragments ({} bytes)", frames(a.len()), b.len(), sizes(b))
    } else if fragments(a) && !fragments(b) {
        format!("reassembled: {} fragments ({} bytes) leave as {}", a.len(), sizes(a), frames(b.len()))
    } else if b.len() > a.len() {
        format!(
            "cut into {} segments ({} bytes) from {} of {} bytes: TSO/GSO, the sender's capture sees the frame before the NIC segments it",
            b.len(),
            sizes(b),
            frames(a.len()),
            sizes(a)
        )
    } else {
        format!(
            "merged: {} segments ({} bytes) are {} of {} bytes here: GRO on the receiving host merged them",
            a.len(),
            sizes(a),
            frames(b.len()),
            sizes(b)
        )
    };
    Change { kind: ChangeKind::Split, bytes: total(b) - total(a), words }
}

fn frames(n: usize) -> String {
    if n == 1 {
        "one datagram".to_string()
    } else {
        format!("{n} frames")
    }
}
