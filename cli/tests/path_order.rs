//! `framelens path` gives the same answer whatever order its files are
//! named in (issue 22): each generated multi-point story is written to a
//! folder and the binary runs on every permutation of its files; the JSON
//! Lines must be identical, file names and all (they name files, never
//! input positions).

mod support;

use framelens::craft::paths::truth::Story;
use framelens::craft::paths::{self, clocks, ipv6, kubernetes, offload};
use support::run;

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n <= 1 {
        return vec![(0..n).collect()];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for i in 0..=p.len() {
            let mut q = p.clone();
            q.insert(i, n - 1);
            out.push(q);
        }
    }
    out
}

fn same_in_every_order(story: &Story) {
    let dir = std::env::temp_dir().join(format!("framelens-path-order-{}-{}", story.name, std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in &story.files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let names: Vec<&str> = story.files.iter().map(|(n, _)| n.as_str()).collect();
    let mut first: Option<String> = None;
    for order in permutations(names.len()) {
        let mut args = vec!["path", "--json"];
        args.extend(order.iter().map(|&i| names[i]));
        let (code, stdout, stderr) = run(&dir, &args);
        assert_eq!(code, 0, "{}: {stderr}", story.name);
        match &first {
            None => first = Some(stdout),
            Some(f) => assert!(f == &stdout, "{}: the files in the order {order:?} give another answer", story.name),
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    // The points come out in the path order the story's truth knows.
    let out = first.unwrap_or_default();
    let points: Vec<String> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let p = v.get("point")?.clone();
            let iface = p["name"].as_str().map(str::to_string).unwrap_or_else(|| p["interface"].to_string());
            Some(format!("{}:{iface}", p["file"].as_str()?))
        })
        .collect();
    let truth: Vec<String> = story.truth.path.iter().map(|p| format!("{}:{}", p.file, p.interface)).collect();
    assert_eq!(points, truth, "{}", story.name);
}

#[test]
fn path_json_is_the_same_in_every_order_of_the_files() {
    for story in
        [paths::story_with_truth(), kubernetes::kubernetes(), ipv6::ipv6(), offload::offload(), clocks::clocks()]
    {
        same_in_every_order(&story);
    }
}

#[test]
fn order_names_a_point_that_does_not_exist_is_a_usage_error() {
    let dir = support::root().join("static/path-story");
    let (code, stdout, stderr) =
        run(&dir, &["path", "--order", "laptop.pcap,router.pcap:eth9", "laptop.pcap", "controller.pcapng"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with(
            "framelens: --order: `router.pcap:eth9` names no capture point; the points are laptop.pcap:0, "
        ),
        "{stderr}"
    );
}

#[test]
fn order_given_on_the_command_line_numbers_the_points() {
    let dir = support::root().join("static/path-story");
    let (code, stdout, _) = run(
        &dir,
        &[
            "path",
            "--json",
            "--order",
            "controller.pcapng:qr-5d0a1c2e-7f,laptop.pcap",
            "laptop.pcap",
            "controller.pcapng",
        ],
    );
    assert_eq!(code, 0);
    let names: Vec<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("point").map(|p| format!("{}:{}", p["file"], p["name"])))
        .collect();
    assert_eq!(
        names,
        [r#""controller.pcapng":"qr-5d0a1c2e-7f""#, r#""laptop.pcap":null"#, r#""controller.pcapng":"eth1""#]
    );
    let summary = stdout.lines().last().unwrap();
    assert!(summary.contains(r#""order":{"given":true,"#), "{summary}");
}

#[test]
fn path_with_a_kernel_log_is_the_same_in_both_orders() {
    // The log's clock and each line's capture are chosen by evidence and
    // the captures' rank, never by their position on the command line.
    let dir = support::root().join("static/path-story");
    let a = run(&dir, &["path", "--json", "--log", "controller-kern.log", "laptop.pcap", "controller.pcapng"]);
    let b = run(&dir, &["path", "--json", "--log", "controller-kern.log", "controller.pcapng", "laptop.pcap"]);
    assert_eq!(a.0, 0, "{}", a.2);
    assert!(a.1 == b.1, "the log's lines and clocks depend on the files' order");
}
