//! `--annotate OUT.pcapng`: the capture handed to Wireshark with Framelens'
//! verdict as frame comments, `--annotate-all` to comment every frame and
//! `--trim[=KINDS]` to cut the bytes after the datagram. The frames written
//! are those `--filter` shows; the core's `framelens::explain::annotate`
//! writes them, as it does for the web app's download.

use anyhow::Context;
use framelens::capture::write::WriteError;
use framelens::capture::Frame;
use framelens::explain::annotate::{self, TrimKinds};
use framelens::scan::record::FrameRecord;
use framelens::settings::Settings;
use std::fs::File;
use std::io::BufWriter;

#[derive(clap::Args, Debug)]
pub struct AnnotateOptions {
    /// Write the (shown) frames to this pcapng, unchanged, with a comment
    /// stating Framelens' verdict on each frame that has something to say.
    #[arg(long, value_name = "OUT.pcapng")]
    pub annotate: Option<String>,
    /// With --annotate: comment every frame (a frame with nothing to say gets
    /// its ledger equation).
    #[arg(long, requires = "annotate")]
    pub annotate_all: bool,
    /// With --annotate: cut unexplained bytes after the datagram from the
    /// frames written, fixing their captured and original lengths;
    /// `--trim=padding,fcs,vendor` (or `all`) also cuts those regions.
    #[arg(
        long,
        requires = "annotate",
        value_name = "KINDS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "trailer",
        value_parser = TrimKinds::from_list
    )]
    pub trim: Option<TrimKinds>,
}

/// The annotated pcapng being written.
pub struct Annotator {
    path: String,
    writer: annotate::Annotator<BufWriter<File>>,
    /// The first failure; once set, no more frames are written.
    error: Option<WriteError>,
}

impl Annotator {
    /// `None` without `--annotate`.
    pub fn new(o: &AnnotateOptions) -> anyhow::Result<Option<Annotator>> {
        let Some(path) = &o.annotate else { return Ok(None) };
        let file = File::create(path).with_context(|| format!("cannot create {path}"))?;
        Ok(Some(Annotator {
            path: path.clone(),
            writer: annotate::Annotator::new(
                BufWriter::with_capacity(1 << 16, file),
                annotate::AnnotateOptions { all: o.annotate_all, trim: o.trim },
            ),
            error: None,
        }))
    }

    /// A shown frame: written with its comment, trimmed if asked.
    pub fn on_frame(&mut self, r: &FrameRecord, p: &Frame<'_>, s: &Settings) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.writer.write(r, p, s) {
            self.error = Some(e);
        }
    }

    /// The failure that stopped the writing, if any (checked after every chunk).
    pub fn check(&mut self) -> anyhow::Result<()> {
        match self.error.take() {
            Some(e) => Err(e).with_context(|| format!("--annotate {}", self.path)),
            None => Ok(()),
        }
    }

    /// Flushes the file.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.check()?;
        let path = self.path;
        self.writer.finish().with_context(|| format!("--annotate {path}"))?;
        Ok(())
    }
}
