//! Numbers and counts in sentences: every sentence Framelens prints writes
//! counts the same way, so these two helpers are the only place that decides
//! how.

/// `n` with a comma between groups of three digits, as the sentences write
/// byte counts and frame numbers: `1,518`, `221,198`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The suffix that makes a noun plural for `n` of it: `""` for one, `"s"`
/// otherwise (`format!("{n} byte{}", plural(n))`).
pub fn plural(n: impl Into<u64>) -> &'static str {
    if n.into() == 1 {
        ""
    } else {
        "s"
    }
}

/// `s` cut to at most `max` bytes, at a character boundary: for fields of a
/// bounded byte length (share-link notes, pcapng options).
pub fn cut_to_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `n` and its noun, pluralised and with thousands separators: `1 frame`,
/// `1,204 frames`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{} {noun}{}", thousands(n), plural(n))
}

/// A duration as the sentences write it: `3.217 s`, `0.4 ms`, `12 µs`.
pub fn seconds(ns: i64) -> String {
    let a = ns.unsigned_abs();
    if a >= 1_000_000_000 {
        format!("{:.3} s", ns as f64 / 1e9)
    } else if a >= 1_000_000 {
        format!("{:.1} ms", ns as f64 / 1e6)
    } else {
        format!("{} µs", ns / 1_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_from_the_right() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_518), "1,518");
        assert_eq!(thousands(221_198), "221,198");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn cut_to_bytes_never_splits_a_character() {
        assert_eq!(cut_to_bytes("abc", 5), "abc");
        assert_eq!(cut_to_bytes("abc", 2), "ab");
        // "é" is 2 bytes: cutting inside it keeps the character out.
        assert_eq!(cut_to_bytes("aé", 2), "a");
        assert_eq!(cut_to_bytes("aé", 3), "aé");
    }

    #[test]
    fn count_pluralises_all_but_one() {
        assert_eq!(count(0u32, "frame"), "0 frames");
        assert_eq!(count(1u32, "frame"), "1 frame");
        assert_eq!(count(1_204u64, "byte"), "1,204 bytes");
    }
}
