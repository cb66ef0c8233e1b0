//! Library discovery: explicit environment overrides, then pkg-config, then krb5-config.

use std::env;
use std::fmt;
use std::path::PathBuf;
use std::process::Command;

/// Environment variables that change what the build finds.
pub const ENV_VARS: &[&str] = &[
    "GSSAPI_SYS_IMPL",
    "GSSAPI_SYS_LIB_DIR",
    "GSSAPI_SYS_INCLUDE_DIR",
    "GSSAPI_SYS_LIBS",
    "GSSAPI_SYS_STATIC",
    "KRB5_CONFIG_BIN",
    "PKG_CONFIG_PATH",
];

/// Which GSSAPI implementation a library is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implementation {
    Mit,
    Heimdal,
}

impl Implementation {
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::Mit => "mit",
            Implementation::Heimdal => "heimdal",
        }
    }

    fn default_libs(self) -> Vec<String> {
        match self {
            Implementation::Mit => vec!["gssapi_krb5".into()],
            Implementation::Heimdal => vec!["gssapi".into()],
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "mit" | "mit-krb5" | "krb5" => Some(Implementation::Mit),
            "heimdal" => Some(Implementation::Heimdal),
            _ => None,
        }
    }
}

/// What the build found: enough to link, to compile C probes, and to run bindgen.
#[derive(Debug)]
pub struct Library {
    pub implementation: Implementation,
    pub version: String,
    pub found_by: &'static str,
    pub lib_dirs: Vec<PathBuf>,
    pub libs: Vec<String>,
    pub include_dirs: Vec<PathBuf>,
    /// pkg-config already told cargo how to link; nothing more to print.
    pub linked_by_pkg_config: bool,
}

impl Library {
    pub fn emit_link_flags(&self) {
        if self.linked_by_pkg_config {
            return;
        }
        let kind = if env::var_os("GSSAPI_SYS_STATIC").is_some() {
            "static="
        } else {
            ""
        };
        for dir in &self.lib_dirs {
            println!("cargo:rustc-link-search=native={}", dir.display());
        }
        for lib in &self.libs {
            println!("cargo:rustc-link-lib={kind}{lib}");
        }
    }

    /// Arguments for a C compiler driver to link against the library.
    pub fn link_args(&self) -> Vec<String> {
        let mut args: Vec<String> = self
            .lib_dirs
            .iter()
            .map(|d| format!("-L{}", d.display()))
            .collect();
        args.extend(self.libs.iter().map(|l| format!("-l{l}")));
        args
    }
}

/// Why nothing was found, with what was tried and how to fix it.
pub struct Report {
    tried: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "gssapi-sys: could not find a GSSAPI library (MIT krb5 or Heimdal)."
        )?;
        writeln!(f, "Tried:")?;
        for t in &self.tried {
            writeln!(f, "  - {t}")?;
        }
        writeln!(f)?;
        writeln!(f, "Install the development files, then build again:")?;
        writeln!(
            f,
            "  Debian/Ubuntu:  apt-get install libkrb5-dev pkg-config     (Heimdal: heimdal-multidev)"
        )?;
        writeln!(
            f,
            "  Fedora/RHEL:    dnf install krb5-devel pkgconf-pkg-config"
        )?;
        writeln!(f, "  Arch:           pacman -S krb5 pkgconf")?;
        writeln!(f, "  Alpine:         apk add krb5-dev pkgconf")?;
        writeln!(
            f,
            "  macOS:          brew install krb5, then PKG_CONFIG_PATH=$(brew --prefix krb5)/lib/pkgconfig"
        )?;
        writeln!(f)?;
        writeln!(f, "Or point the build at a library by hand:")?;
        writeln!(
            f,
            "  GSSAPI_SYS_IMPL=mit|heimdal  GSSAPI_SYS_LIB_DIR=/path/to/lib  GSSAPI_SYS_INCLUDE_DIR=/path/to/include"
        )?;
        writeln!(
            f,
            "  GSSAPI_SYS_LIBS=gssapi_krb5 (comma-separated; default by implementation)"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "Or build without any library: the `dlopen` feature (gssapi-rs-sys, or `dlopen` on"
        )?;
        writeln!(
            f,
            "gssapi-raw, gssapi-rs, gssapi-http, gssapi-russh, gss-cli) opens MIT krb5 or Heimdal when"
        )?;
        write!(
            f,
            "the program runs; it needs no headers, pkg-config or krb5-config here."
        )
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn find() -> Result<Library, Report> {
    let mut tried = Vec::new();
    let wanted = match env_nonempty("GSSAPI_SYS_IMPL") {
        Some(v) => match Implementation::parse(&v) {
            Some(i) => Some(i),
            None => {
                tried.push(format!(
                    "GSSAPI_SYS_IMPL={v:?} is neither \"mit\" nor \"heimdal\""
                ));
                return Err(Report { tried });
            }
        },
        None => None,
    };

    if let Some(lib) = from_env(wanted) {
        return Ok(lib);
    }
    tried.push("GSSAPI_SYS_LIB_DIR / GSSAPI_SYS_LIBS: not set".into());

    if let Some(lib) = from_pkg_config(wanted, &mut tried) {
        return Ok(lib);
    }
    if let Some(lib) = from_krb5_config(wanted, &mut tried) {
        return Ok(lib);
    }
    Err(Report { tried })
}

fn from_env(wanted: Option<Implementation>) -> Option<Library> {
    let lib_dir = env_nonempty("GSSAPI_SYS_LIB_DIR");
    let libs = env_nonempty("GSSAPI_SYS_LIBS");
    if lib_dir.is_none() && libs.is_none() {
        return None;
    }
    let implementation = wanted.unwrap_or(Implementation::Mit);
    let libs = libs
        .map(|l| {
            l.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_else(|| implementation.default_libs());
    let include_dirs = env_nonempty("GSSAPI_SYS_INCLUDE_DIR")
        .map(|d| env::split_paths(&d).collect())
        .unwrap_or_default();
    Some(Library {
        implementation,
        version: "unknown".into(),
        found_by: "env",
        lib_dirs: lib_dir
            .map(|d| env::split_paths(&d).collect())
            .unwrap_or_default(),
        libs,
        include_dirs,
        linked_by_pkg_config: false,
    })
}

fn from_pkg_config(wanted: Option<Implementation>, tried: &mut Vec<String>) -> Option<Library> {
    let candidates: &[(&str, Implementation)] = match wanted {
        Some(Implementation::Mit) => &[
            ("mit-krb5-gssapi", Implementation::Mit),
            ("krb5-gssapi", Implementation::Mit),
        ],
        Some(Implementation::Heimdal) => &[("heimdal-gssapi", Implementation::Heimdal)],
        None => &[
            ("mit-krb5-gssapi", Implementation::Mit),
            ("krb5-gssapi", Implementation::Mit),
            ("heimdal-gssapi", Implementation::Heimdal),
        ],
    };
    for (name, implementation) in candidates {
        let mut config = pkg_config::Config::new();
        config.cargo_metadata(false);
        if env::var_os("GSSAPI_SYS_STATIC").is_some() {
            config.statik(true);
        }
        match config.probe(name) {
            Ok(found) => {
                // Heimdal's krb5-gssapi.pc (some distributions) names the library "gssapi".
                let implementation = if found.libs.iter().any(|l| l == "gssapi") {
                    Implementation::Heimdal
                } else {
                    *implementation
                };
                let mut include_dirs = found.include_paths.clone();
                if let Some(extra) = env_nonempty("GSSAPI_SYS_INCLUDE_DIR") {
                    include_dirs.extend(env::split_paths(&extra));
                }
                return Some(Library {
                    implementation,
                    version: found.version.clone(),
                    found_by: "pkg-config",
                    lib_dirs: found.link_paths.clone(),
                    libs: found.libs.clone(),
                    include_dirs,
                    linked_by_pkg_config: false,
                });
            }
            Err(e) => tried.push(format!(
                "pkg-config {name}: {}",
                pkg_config_reason(name, &e)
            )),
        }
    }
    None
}

fn from_krb5_config(wanted: Option<Implementation>, tried: &mut Vec<String>) -> Option<Library> {
    let program = env_nonempty("KRB5_CONFIG_BIN").unwrap_or_else(|| "krb5-config".into());
    let run = |args: &[&str]| -> Option<String> {
        let out = Command::new(&program).args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let Some(vendor) = run(&["--vendor"]) else {
        tried.push(format!("{program} --vendor: not found or failed"));
        return None;
    };
    let implementation = if vendor.to_ascii_lowercase().contains("heimdal") {
        Implementation::Heimdal
    } else {
        Implementation::Mit
    };
    if wanted.is_some_and(|w| w != implementation) {
        tried.push(format!(
            "{program}: vendor is {vendor:?}, not the requested implementation"
        ));
        return None;
    }
    let libs = run(&["--libs", "gssapi"]).unwrap_or_default();
    let cflags = run(&["--cflags", "gssapi"]).unwrap_or_default();
    let version = run(&["--version"])
        .and_then(|v| v.split_whitespace().last().map(str::to_string))
        .unwrap_or_else(|| "unknown".into());
    let mut lib = Library {
        implementation,
        version,
        found_by: "krb5-config",
        lib_dirs: Vec::new(),
        libs: Vec::new(),
        include_dirs: Vec::new(),
        linked_by_pkg_config: false,
    };
    for word in libs.split_whitespace() {
        if let Some(dir) = word.strip_prefix("-L") {
            lib.lib_dirs.push(dir.into());
        } else if let Some(name) = word.strip_prefix("-l") {
            lib.libs.push(name.into());
        }
    }
    for word in cflags.split_whitespace() {
        if let Some(dir) = word.strip_prefix("-I") {
            lib.include_dirs.push(dir.into());
        }
    }
    if lib.libs.is_empty() {
        lib.libs = implementation.default_libs();
    }
    Some(lib)
}

/// The line of a pkg-config failure that says why: its own stderr ("Package ... was not found
/// in the pkg-config search path"), or that pkg-config itself is missing.
fn pkg_config_reason(name: &str, e: &pkg_config::Error) -> String {
    match e {
        pkg_config::Error::Failure { output, .. }
        | pkg_config::Error::ProbeFailure { output, .. } => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            match first_line(&stderr) {
                "" => format!(
                    "{name}.pc is not in pkg-config's search path (PKG_CONFIG_PATH, PKG_CONFIG_LIBDIR)"
                ),
                line => line.to_string(),
            }
        }
        pkg_config::Error::Command { cause, .. }
            if cause.kind() == std::io::ErrorKind::NotFound =>
        {
            "pkg-config is not installed".to_string()
        }
        other => first_line(&other.to_string()).to_string(),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}
