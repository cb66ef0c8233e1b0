//! (being written)

#[path = "../common/mod.rs"]
mod common;

fn main() {
    common::run(Vec::new(), |_| {});
}
