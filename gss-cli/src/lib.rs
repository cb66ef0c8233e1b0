//! The library half of the `gss` command: the token decoder of `gss inspect`, public so the
//! fuzz target can drive it. Everything else lives in the binary.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub mod inspect;
