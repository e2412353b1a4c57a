//! A program that exits while a child it spawned still runs: the run is
//! over when the program exits (its exit status is the run's), whatever
//! its children do afterwards.

use abi::{helper, ok, say};

fn main() {
    let child = ok(helper("pause", &[]).process_group(0).spawn(), "spawn");
    say("leaving a child behind");
    drop(child);
}
