//! Flags, credential usage, address types and channel bindings.
//!
//! ```
//! use gssapi_raw::{AddressType, ChannelBindings, Flags};
//!
//! let flags = Flags::MUTUAL | Flags::SEQUENCE;
//! assert_eq!(flags.bits(), 2 | 8);
//! let cb = ChannelBindings::new(b"tls-server-end-point:...".to_vec())
//!     .with_initiator(AddressType::Ip, vec![127, 0, 0, 1]);
//! assert_eq!(cb.initiator_address_type(), Some(AddressType::Ip));
//! ```

use crate::buffer::input;
use crate::sys;
use bitflags::bitflags;
use num_enum::{IntoPrimitive, TryFromPrimitive};

bitflags! {
    /// Requirement and return flags of a security context (python-gssapi: `RequirementFlag`).
    ///
    /// What an initiator asks for and what the context grants are separate values: results
    /// always report the flags the library granted, never the requested ones.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Flags: u32 {
        /// `GSS_C_DELEG_FLAG`: delegate credentials to the acceptor (`delegate_to_peer`).
        const DELEGATE = sys::GSS_C_DELEG_FLAG;
        /// `GSS_C_MUTUAL_FLAG`: mutual authentication (`mutual_authentication`).
        const MUTUAL = sys::GSS_C_MUTUAL_FLAG;
        /// `GSS_C_REPLAY_FLAG`: replay detection (`replay_detection`).
        const REPLAY = sys::GSS_C_REPLAY_FLAG;
        /// `GSS_C_SEQUENCE_FLAG`: out-of-sequence detection (`out_of_sequence_detection`).
        const SEQUENCE = sys::GSS_C_SEQUENCE_FLAG;
        /// `GSS_C_CONF_FLAG`: confidentiality is available (`confidentiality`).
        const CONF = sys::GSS_C_CONF_FLAG;
        /// `GSS_C_INTEG_FLAG`: integrity is available (`integrity`).
        const INTEG = sys::GSS_C_INTEG_FLAG;
        /// `GSS_C_ANON_FLAG`: anonymous initiator (`anonymity`).
        const ANON = sys::GSS_C_ANON_FLAG;
        /// `GSS_C_PROT_READY_FLAG`: protection is ready before completion (`protection_ready`).
        const PROT_READY = sys::GSS_C_PROT_READY_FLAG;
        /// `GSS_C_TRANS_FLAG`: the context can be exported (`transferable`).
        const TRANS = sys::GSS_C_TRANS_FLAG;
        /// `GSS_C_CHANNEL_BOUND_FLAG`: channel bindings were verified (`channel_bound`).
        const CHANNEL_BOUND = sys::GSS_C_CHANNEL_BOUND_FLAG;
        /// `GSS_C_DCE_STYLE`: DCE-style authentication (`dce_style`).
        const DCE_STYLE = sys::GSS_C_DCE_STYLE;
        /// `GSS_C_IDENTIFY_FLAG`: identify-only context (`identify`).
        const IDENTIFY = sys::GSS_C_IDENTIFY_FLAG;
        /// `GSS_C_EXTENDED_ERROR_FLAG`: extended errors (`extended_error`).
        const EXTENDED_ERROR = sys::GSS_C_EXTENDED_ERROR_FLAG;
        /// `GSS_C_DELEG_POLICY_FLAG`: delegate only where KDC policy allows (`ok_as_delegate`).
        const DELEG_POLICY = sys::GSS_C_DELEG_POLICY_FLAG;
        // Keep bits a library sets that this crate does not name.
        const _ = !0;
    }
}

/// What credentials may be used for (`gss_cred_usage_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, TryFromPrimitive, IntoPrimitive)]
#[repr(i32)]
pub enum CredUsage {
    /// `GSS_C_BOTH`: initiate and accept.
    #[default]
    Both = sys::GSS_C_BOTH,
    /// `GSS_C_INITIATE`: initiate only.
    Initiate = sys::GSS_C_INITIATE,
    /// `GSS_C_ACCEPT`: accept only.
    Accept = sys::GSS_C_ACCEPT,
}

/// Channel-binding address types (python-gssapi: `AddressType`); `GSS_C_AF_UNSPEC` is `None`
/// where an address type is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TryFromPrimitive, IntoPrimitive)]
#[repr(u32)]
#[non_exhaustive]
pub enum AddressType {
    /// `GSS_C_AF_LOCAL` (python: `local`).
    Local = sys::GSS_C_AF_LOCAL,
    /// `GSS_C_AF_INET` (python: `ip`).
    Ip = sys::GSS_C_AF_INET,
    /// `GSS_C_AF_IMPLINK` (python: `arpanet`).
    Arpanet = sys::GSS_C_AF_IMPLINK,
    /// `GSS_C_AF_PUP` (python: `pup`).
    Pup = sys::GSS_C_AF_PUP,
    /// `GSS_C_AF_CHAOS` (python: `chaos`).
    Chaos = sys::GSS_C_AF_CHAOS,
    /// `GSS_C_AF_NS` (python: `xerox_ns`).
    XeroxNs = sys::GSS_C_AF_NS,
    /// `GSS_C_AF_NBS` (python: `nbs`).
    Nbs = sys::GSS_C_AF_NBS,
    /// `GSS_C_AF_ECMA` (python: `ecma`).
    Ecma = sys::GSS_C_AF_ECMA,
    /// `GSS_C_AF_DATAKIT` (python: `datakit`).
    Datakit = sys::GSS_C_AF_DATAKIT,
    /// `GSS_C_AF_CCITT` (python: `ccitt`).
    Ccitt = sys::GSS_C_AF_CCITT,
    /// `GSS_C_AF_SNA` (python: `ibm_sna`).
    IbmSna = sys::GSS_C_AF_SNA,
    /// `GSS_C_AF_DECnet` (python: `decnet`).
    Decnet = sys::GSS_C_AF_DECnet,
    /// `GSS_C_AF_DLI` (python: `dli`).
    Dli = sys::GSS_C_AF_DLI,
    /// `GSS_C_AF_LAT` (python: `lat`).
    Lat = sys::GSS_C_AF_LAT,
    /// `GSS_C_AF_HYLINK` (python: `hyperchannel`).
    Hyperchannel = sys::GSS_C_AF_HYLINK,
    /// `GSS_C_AF_APPLETALK` (python: `appletalk`).
    Appletalk = sys::GSS_C_AF_APPLETALK,
    /// `GSS_C_AF_BSC` (python: `bisync`).
    Bisync = sys::GSS_C_AF_BSC,
    /// `GSS_C_AF_DSS` (python: `dss`).
    Dss = sys::GSS_C_AF_DSS,
    /// `GSS_C_AF_OSI` (python: `osi_tp4`).
    OsiTp4 = sys::GSS_C_AF_OSI,
    /// `GSS_C_AF_NETBIOS` (not in python-gssapi's enum).
    Netbios = sys::GSS_C_AF_NETBIOS,
    /// `GSS_C_AF_X25` (python: `x25`).
    X25 = sys::GSS_C_AF_X25,
    /// `GSS_C_AF_NULLADDR` (python: `null`).
    Null = sys::GSS_C_AF_NULLADDR,
}

/// Channel bindings (RFC 2744 section 3.11; python-gssapi: `ChannelBindings`): optional
/// initiator and acceptor addresses and the application data, which for TLS is usually
/// `tls-server-end-point:` or `tls-unique:` followed by the binding (RFC 5929).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[doc(alias = "gss_channel_bindings_struct")]
pub struct ChannelBindings {
    initiator: Option<(AddressType, Vec<u8>)>,
    acceptor: Option<(AddressType, Vec<u8>)>,
    application_data: Vec<u8>,
}

impl ChannelBindings {
    /// Bindings with only application data (unspecified addresses).
    pub fn new(application_data: Vec<u8>) -> Self {
        ChannelBindings {
            initiator: None,
            acceptor: None,
            application_data,
        }
    }

    /// Sets the initiator address.
    pub fn with_initiator(mut self, kind: AddressType, address: Vec<u8>) -> Self {
        self.initiator = Some((kind, address));
        self
    }

    /// Sets the acceptor address.
    pub fn with_acceptor(mut self, kind: AddressType, address: Vec<u8>) -> Self {
        self.acceptor = Some((kind, address));
        self
    }

    /// The initiator address type (`None` is `GSS_C_AF_UNSPEC`).
    pub fn initiator_address_type(&self) -> Option<AddressType> {
        self.initiator.as_ref().map(|(t, _)| *t)
    }

    /// The initiator address.
    pub fn initiator_address(&self) -> &[u8] {
        self.initiator.as_ref().map_or(&[], |(_, a)| a)
    }

    /// The acceptor address type (`None` is `GSS_C_AF_UNSPEC`).
    pub fn acceptor_address_type(&self) -> Option<AddressType> {
        self.acceptor.as_ref().map(|(t, _)| *t)
    }

    /// The acceptor address.
    pub fn acceptor_address(&self) -> &[u8] {
        self.acceptor.as_ref().map_or(&[], |(_, a)| a)
    }

    /// The application data.
    pub fn application_data(&self) -> &[u8] {
        &self.application_data
    }

    /// The C structure, borrowing this value's bytes. The library only reads it.
    pub(crate) fn to_ffi(&self) -> sys::gss_channel_bindings_struct {
        let addr = |a: &Option<(AddressType, Vec<u8>)>| match a {
            Some((t, bytes)) => (u32::from(*t), input(bytes)),
            None => (sys::GSS_C_AF_UNSPEC, input(&[])),
        };
        let (initiator_addrtype, initiator_address) = addr(&self.initiator);
        let (acceptor_addrtype, acceptor_address) = addr(&self.acceptor);
        sys::gss_channel_bindings_struct {
            initiator_addrtype,
            initiator_address,
            acceptor_addrtype,
            acceptor_address,
            application_data: input(&self.application_data),
        }
    }
}

/// Converts an optional lifetime: `None` (indefinite) is `GSS_C_INDEFINITE`.
pub(crate) fn lifetime_in(lifetime: Option<u32>) -> u32 {
    lifetime.unwrap_or(sys::GSS_C_INDEFINITE)
}

/// Converts a returned lifetime: `GSS_C_INDEFINITE` becomes `None`.
pub(crate) fn lifetime_out(lifetime: u32) -> Option<u32> {
    (lifetime != sys::GSS_C_INDEFINITE).then_some(lifetime)
}
