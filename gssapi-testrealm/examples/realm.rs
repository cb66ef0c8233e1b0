//! Starts a throwaway realm, prints how long that took and the environment that points the
//! Kerberos tools at it, and keeps it until stdin reaches a line break or its end.
//!
//! ```sh
//! cargo run -p gssapi-testrealm --example realm            # Enter stops it
//! cargo run -p gssapi-testrealm --example realm </dev/null # start, print and stop at once
//! ```
//!
//! In another shell, paste the printed `export` lines, then use `klist`, `kvno`, `kinit`, ...

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let realm = gssapi_testrealm::Realm::new()?;
    let took = start.elapsed();
    for (key, value) in realm.env() {
        println!("export {key}='{value}'");
    }
    println!(
        "# realm {} with KDC pid {} on 127.0.0.1:{}, started in {took:.0?}",
        realm.realm_name(),
        realm.kdc_pid().unwrap_or(0),
        realm.kdc_port(),
    );
    println!(
        "# user {} (password {:?}), services {} and {} in {}",
        realm.user_principal(),
        realm.user_password(),
        realm.host_principal(),
        realm.http_principal(),
        realm.keytab(),
    );
    println!(
        "# press Enter to stop the KDC and remove {}",
        realm.dir().display()
    );
    let _ = std::io::stdin().read_line(&mut String::new());
    Ok(())
}
