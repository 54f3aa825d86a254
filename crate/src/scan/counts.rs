//! Frame counts: how many frames carry each per-frame finding, and how many
//! the device rule drops. The scan's summary, the store and the web app
//! (which re-counts when the settings change) all count with [`Counts`].

use crate::frame::finding::{Finding, FINDINGS};
use crate::frame::mtu::drops;
use crate::scan::record::FrameRecord;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

/// Frame counts: how many frames carry each [`Finding`], and how many the
/// device rule drops. In JSON one flat object: `frames`, `bytes_captured`,
/// `bytes_original`, one key per finding ([`Finding::key`], in
/// [`Finding::ALL`] order), then `over_mtu`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub frames: u64,
    pub bytes_captured: u64,
    pub bytes_original: u64,
    /// Frames with each finding, indexed by [`Finding::index`].
    per_finding: [u64; FINDINGS],
    /// Frames the chosen device rule drops, at scan time's settings.
    pub over_mtu: u64,
}

impl Counts {
    /// Counts one frame's record; `settings` decide the MTU-dependent counts.
    /// The scan's summary and the web app (which re-counts when the MTU or
    /// rule changes) both count with this.
    pub fn add_record(&mut self, r: &FrameRecord, settings: &Settings) {
        let l = &r.ledger;
        self.frames += 1;
        self.bytes_captured += u64::from(l.caplen);
        self.bytes_original += u64::from(l.len);
        for f in r.findings(settings).iter() {
            self.per_finding[f.index()] += 1;
        }
        if drops(&r.mtu, settings) {
            self.over_mtu += 1;
        }
    }

    /// Counts of a run of records, borrowed or decoded (from a `store::RecordStore`).
    pub fn of<R: Borrow<FrameRecord>>(records: impl IntoIterator<Item = R>, settings: &Settings) -> Self {
        let mut c = Counts::default();
        for r in records {
            c.add_record(r.borrow(), settings);
        }
        c
    }

    /// Adds another run's counts (the web app counts batch by batch).
    pub fn merge(&mut self, o: &Counts) {
        self.frames += o.frames;
        self.bytes_captured += o.bytes_captured;
        self.bytes_original += o.bytes_original;
        for (n, m) in self.per_finding.iter_mut().zip(o.per_finding) {
            *n += m;
        }
        self.over_mtu += o.over_mtu;
    }

    /// Frames with this finding.
    pub fn of_finding(&self, f: Finding) -> u64 {
        self.per_finding[f.index()]
    }

    /// Every finding with its count, in [`Finding::ALL`] order.
    pub fn per_finding(&self) -> impl Iterator<Item = (Finding, u64)> + '_ {
        Finding::ALL.into_iter().map(|f| (f, self.of_finding(f)))
    }

    /// Frames with an FCS verdict (valid or invalid).
    pub fn fcs_checked(&self) -> u64 {
        self.of_finding(Finding::FcsValid) + self.of_finding(Finding::FcsInvalid)
    }
}

const COUNT_FRAMES: &str = "frames";
const COUNT_BYTES_CAPTURED: &str = "bytes_captured";
const COUNT_BYTES_ORIGINAL: &str = "bytes_original";
const COUNT_OVER_MTU: &str = "over_mtu";

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(FINDINGS + 4))?;
        m.serialize_entry(COUNT_FRAMES, &self.frames)?;
        m.serialize_entry(COUNT_BYTES_CAPTURED, &self.bytes_captured)?;
        m.serialize_entry(COUNT_BYTES_ORIGINAL, &self.bytes_original)?;
        for (f, n) in self.per_finding() {
            m.serialize_entry(f.key(), &n)?;
        }
        m.serialize_entry(COUNT_OVER_MTU, &self.over_mtu)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CountsVisitor;
        impl<'de> serde::de::Visitor<'de> for CountsVisitor {
            type Value = Counts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of frame counts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Counts, A::Error> {
                let mut c = Counts::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let n: u64 = map.next_value()?;
                    match &*key {
                        COUNT_FRAMES => c.frames = n,
                        COUNT_BYTES_CAPTURED => c.bytes_captured = n,
                        COUNT_BYTES_ORIGINAL => c.bytes_original = n,
                        COUNT_OVER_MTU => c.over_mtu = n,
                        k => match Finding::from_key(k) {
                            Some(f) => c.per_finding[f.index()] = n,
                            None => return Err(serde::de::Error::unknown_field(k, &[])),
                        },
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(CountsVisitor)
    }
}
