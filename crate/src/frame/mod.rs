//! One frame, from its bytes to its verdicts.
//!
//! [`dissect`] walks the headers with the tables of [`crate::wire`] and
//! records where the outermost datagram ends and what every length field
//! claims; [`ledger`] accounts for every byte after that end as one region
//! (padding, FCS, vendor trailer, unexplained trailer) and sets the frame's
//! [`finding`]s; [`vendor`] proves a vendor trailer by its structure; [`mtu`]
//! judges the frame under a device's MTU rule; [`analysis`] puts all of it
//! into words for one frame that a face shows in full. [`identity`] is what
//! survives a path (the same packet at two capture points has the same key).

pub mod analysis;
pub mod dissect;
pub mod finding;
pub mod identity;
pub mod ledger;
pub mod mtu;
pub mod vendor;
