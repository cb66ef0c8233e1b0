//! GSS-SPNEGO (as Cyrus SASL speaks it) between the Rust client and server.

use crate::{TestResult, check, fail, realm, run_exchange};
use gssapi::sasl::{
    ClientCredentials, ClientMechanism, GssapiClient, GssapiServer, Layer, SaslError,
    ServerCredentials, ServerMechanism,
};
use gssapi::{Mechanism, Name};

fn target() -> Name {
    Name::hostbased_service("host@localhost").unwrap()
}

pub(crate) fn gss_spnego_layers_follow_the_context() -> TestResult {
    check!(GssapiClient::gss_spnego(&target()).name() == "GSS-SPNEGO");
    check!(GssapiServer::gss_spnego(None).name() == "GSS-SPNEGO");
    // (client maximum, expected layer): Kerberos grants confidentiality unless the client's
    // credentials ask for neither integrity nor confidentiality.
    for (max, expected) in [
        (Layer::Confidentiality, Layer::Confidentiality),
        (Layer::None, Layer::None),
    ] {
        let mut client = GssapiClient::gss_spnego(&target()).layers(Layer::None, max);
        let mut server = GssapiServer::gss_spnego(None);
        let creds = ClientCredentials::new();
        let (credentials, challenges) =
            run_exchange(&mut client, &creds, &mut server).map_err(fail)?;
        // One round: the client's token, the server's last token as success data.
        check!(challenges == 1, "{challenges} challenges");
        check!(credentials.authcid() == realm().user_principal());
        check!(credentials.authzid().is_none());
        check!(
            credentials.layer() == expected,
            "max {max}: {}",
            credentials.layer()
        );
        check!(credentials.context().mech().map_err(fail)? == Mechanism::KERBEROS);
        let mut server = credentials.authorize_self().map_err(fail)?;
        let mut client = client.into_session().map_err(fail)?;
        check!(client.layer() == expected);
        check!(client.context().is_mutual().map_err(fail)?);
        let wire = client.encode(b"over spnego").map_err(fail)?;
        check!(server.decode(&wire).map_err(fail)? == b"over spnego");
        let wire = server.encode(b"reply").map_err(fail)?;
        check!(client.decode(&wire).map_err(fail)? == b"reply");
        if expected == Layer::None {
            check!(wire == b"reply");
        } else {
            check!(wire.len() > 4 + 5 && !wire.ends_with(b"reply"));
        }
    }
    Ok(())
}

pub(crate) fn gss_spnego_refusals() -> TestResult {
    // No message carries an authzid.
    let mut client = GssapiClient::gss_spnego(&target());
    let creds = ClientCredentials::new().authzid("admin").map_err(fail)?;
    let got = client.client_attempt(&creds, &[]);
    check!(matches!(got, Err(SaslError::BadAuthzid { .. })), "{got:?}");
    // A maximum of integrity cannot be had from Kerberos (it grants confidentiality when it
    // grants integrity): the client refuses the stronger context rather than disagree with
    // the server about the layer.
    let mut client = GssapiClient::gss_spnego(&target()).layers(Layer::None, Layer::Integrity);
    let mut server = GssapiServer::gss_spnego(None);
    let got = run_exchange(&mut client, &ClientCredentials::new(), &mut server);
    check!(
        matches!(
            got,
            Err(SaslError::NoAcceptableLayer {
                max: Layer::Integrity,
                ..
            })
        ),
        "{got:?}"
    );
    // A server that insists on confidentiality refuses a context without it.
    let mut client = GssapiClient::gss_spnego(&target()).layers(Layer::None, Layer::None);
    let mut server =
        GssapiServer::gss_spnego(None).layers(Layer::Confidentiality, Layer::Confidentiality);
    let got = run_exchange(&mut client, &ClientCredentials::new(), &mut server);
    check!(
        matches!(
            got,
            Err(SaslError::NoAcceptableLayer {
                min: Layer::Confidentiality,
                ..
            })
        ),
        "{got:?}"
    );
    Ok(())
}
