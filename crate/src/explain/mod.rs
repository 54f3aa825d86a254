//! Explaining what the core computed, for people: frame comments for an
//! annotated pcapng ([`annotate`]), the view model a face
//! draws ([`view`]), the glossary every term links to ([`glossary`]), worked
//! lessons ([`lessons`]), the what-if calculator ([`whatif`]), ticket text
//! for bug trackers and Wireshark ([`ticket`]), and diagnosis links that
//! carry one frame in a URL fragment ([`share`]). Nothing here analyses a
//! frame anew: every sentence is made from a [`crate::frame::analysis`].

pub mod annotate;
pub mod glossary;
pub mod journey;
pub mod lessons;
pub mod share;
pub mod ticket;
pub mod view;
pub mod whatif;
