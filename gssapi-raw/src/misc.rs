//! Mechanism discovery (RFC 2744 section 2.4): the mechanisms the library supports.
//!
//! ```
//! use gssapi_raw::{mech_type, misc};
//! let mechs = misc::indicate_mechs()?;
//! assert!(mechs.contains(&mech_type::KERBEROS));
//! # Ok::<(), gssapi_raw::Error>(())
//! ```

use crate::error::{Result, call};
use crate::oid::OidSet;
use crate::sys;

pub use crate::error::display_status;
pub use crate::name::{inquire_mechs_for_name, inquire_names_for_mech};

/// The mechanisms the library supports.
#[doc(alias = "gss_indicate_mechs")]
pub fn indicate_mechs() -> Result<OidSet> {
    let mut set = OidSet::null();
    call("gss_indicate_mechs", |minor| {
        // SAFETY: the out-pointer is valid; the set is released by Drop.
        unsafe { sys::gss_indicate_mechs(minor, set.as_out_ptr()) }
    })?;
    Ok(set)
}
