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

/// `n` and its noun, pluralised and with thousands separators: `1 frame`,
/// `1,204 frames`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{} {noun}{}", thousands(n), plural(n))
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
    fn count_pluralises_all_but_one() {
        assert_eq!(count(0u32, "frame"), "0 frames");
        assert_eq!(count(1u32, "frame"), "1 frame");
        assert_eq!(count(1_204u64, "byte"), "1,204 bytes");
    }
}
