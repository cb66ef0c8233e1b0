//! (being written)

#[path = "../common/mod.rs"]
mod common;

pub(crate) use common::*;

fn main() {
    common::run(Vec::new(), |_| {});
}
