//! IOV, AEAD, in-place and IOV-MIC calls against the real realm, on MIT and Heimdal.

#[path = "../common/mod.rs"]
mod common;

mod iov;

pub(crate) use common::*;

fn main() {
    let tests = trials![
        iov::wrap_iov_with_library_buffers,
        iov::wrap_iov_with_caller_buffers_and_associated_data,
        iov::in_place_round_trips,
        iov::in_place_interop_with_plain_wrap,
        iov::aead_round_trip_and_tampering,
        iov::mic_iov,
        iov::bad_inputs,
        iov::failed_unwraps_leave_no_unverified_plaintext,
        iov::length_call_then_wrap_on_the_same_list,
        iov::reused_list_releases_and_reallocates,
        iov::in_place_sizes_follow_length_and_protection,
        iov::lists_longer_than_the_inline_slots,
    ];
    common::run(tests, |_| {});
}
