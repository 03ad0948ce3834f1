//! Where the audit key comes from: the environment (`COPRODUCE_AUDIT_KEY`, hexadecimal) or a
//! key file, never the database. A key file is made, readable by its owner only, the first
//! time a database's trail is keyed; after that a missing key is an error, since a new key
//! could not check what the old one wrote.

use clap::Args;
use coproduce_domain::audit::AuditKey;
use coproduce_store::Location;
use std::io::Write;
use std::path::PathBuf;

/// The variable that may hold the key itself.
const KEY_VARIABLE: &str = "COPRODUCE_AUDIT_KEY";

/// Where to find the audit key.
#[derive(Args, Clone, Debug)]
pub struct AuditKeyArg {
    /// The file holding the audit key, which the audit trail is signed with; keep it apart from
    /// the database and its backups. Default: for a SQLite file, the same path with
    /// `.audit-key` added; for PostgreSQL, `coproduce-audit.key` in the working directory.
    /// COPRODUCE_AUDIT_KEY, holding the key itself, takes its place.
    #[arg(long, env = "COPRODUCE_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
}

impl AuditKeyArg {
    /// The key file's path for a database.
    pub fn path(&self, location: &Location) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| match location {
                Location::Sqlite(db) => {
                    let mut p = db.clone().into_os_string();
                    p.push(".audit-key");
                    PathBuf::from(p)
                }
                Location::Postgres(_) => PathBuf::from("coproduce-audit.key"),
            })
    }

    /// Reads the key; makes one when there is none and `may_make` (the trail is not keyed yet).
    pub fn load(&self, location: &Location, may_make: bool) -> Result<AuditKey, String> {
        if let Ok(text) = std::env::var(KEY_VARIABLE) {
            return AuditKey::parse(&text).map_err(|e| format!("{KEY_VARIABLE}: {e}"));
        }
        let path = self.path(location);
        match std::fs::read_to_string(&path) {
            Ok(text) => AuditKey::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_make => make(&path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
                "the audit key file {} is missing; it holds the key the audit trail was written with (give its place with --audit-key-file)",
                path.display()
            )),
            Err(e) => Err(format!("cannot read the audit key file {}: {e}", path.display())),
        }
    }
}

fn make(path: &std::path::Path) -> Result<AuditKey, String> {
    let key = AuditKey::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let cannot =
        |e: std::io::Error| format!("cannot make the audit key file {}: {e}", path.display());
    let mut file = options.open(path).map_err(cannot)?;
    writeln!(file, "{}", key.to_hex()).map_err(cannot)?;
    file.sync_all().map_err(cannot)?;
    tracing::info!(
        path = %path.display(),
        key = %key.id(),
        "made a new audit key: keep this file safe, and apart from the database's backups"
    );
    Ok(key)
}
