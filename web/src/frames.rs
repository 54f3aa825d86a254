//! The scan's records, kept in batches shared by reference counting: adding a
//! batch while components hold the old list copies a few pointers, not frames.

use framelens::scan::FrameRecord;
use std::rc::Rc;

#[derive(Clone, Debug, Default)]
pub struct Frames {
    batches: Vec<Rc<[FrameRecord]>>,
    /// Index of each batch's first frame.
    starts: Vec<usize>,
    len: usize,
}

impl PartialEq for Frames {
    /// Records are only ever appended: equal lengths over the same batches are equal lists.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self.batches.len() == other.batches.len()
            && self.batches.iter().zip(&other.batches).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl Frames {
    pub fn push_batch(&mut self, batch: Vec<FrameRecord>) {
        if batch.is_empty() {
            return;
        }
        self.starts.push(self.len);
        self.len += batch.len();
        self.batches.push(batch.into());
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The record at 0-based index `i`.
    pub fn get(&self, i: usize) -> Option<&FrameRecord> {
        if i >= self.len {
            return None;
        }
        let b = self.starts.partition_point(|&s| s <= i) - 1;
        self.batches[b].get(i - self.starts[b])
    }

    /// Frame numbers are 1-based and dense in file order.
    pub fn by_number(&self, n: u64) -> Option<&FrameRecord> {
        self.get(usize::try_from(n.checked_sub(1)?).ok()?)
    }

    pub fn iter(&self) -> impl Iterator<Item = &FrameRecord> {
        self.batches.iter().flat_map(|b| b.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use framelens::scan::scan_bytes;
    use framelens::settings::Settings;

    #[test]
    fn batches_index_like_one_list() {
        let bytes = std::fs::read("../static/examples/two-bytes.pcap").unwrap();
        let mut all = Vec::new();
        scan_bytes(&bytes, Settings::default(), |r| all.push(*r));
        let mut f = Frames::default();
        for chunk in all.chunks(3) {
            f.push_batch(chunk.to_vec());
        }
        f.push_batch(Vec::new());
        assert_eq!(f.len(), all.len());
        for (i, r) in all.iter().enumerate() {
            assert_eq!(f.get(i), Some(r));
            assert_eq!(f.by_number(r.number), Some(r));
        }
        assert_eq!(f.get(all.len()), None);
        assert_eq!(f.by_number(0), None);
        assert_eq!(f.iter().count(), all.len());
        let g = f.clone();
        assert_eq!(f, g);
    }
}
