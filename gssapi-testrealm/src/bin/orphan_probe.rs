//! Used by the tests: builds a realm, prints the KDC port and directory, and exits without
//! dropping it, as a test process with a realm in a `static` does.

fn main() {
    let realm = gssapi_testrealm::Realm::new().expect("realm");
    println!("{} {}", realm.kdc_port(), realm.dir().display());
    std::mem::forget(realm);
    std::process::exit(0);
}
