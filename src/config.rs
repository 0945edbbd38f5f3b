//! `claimcheck.yaml`: where the corpus, the rules and the store are. Found from the working
//! directory upwards; paths in it are relative to the file. Every command also takes paths
//! directly, and those win.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{yaml_diagnostic, Error, Result};

pub const FILE_NAME: &str = "claimcheck.yaml";

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Folders or files of articles.
    #[serde(default)]
    corpus: Vec<PathBuf>,
    /// The rules folder.
    #[serde(default)]
    rules: Option<PathBuf>,
    /// The claim store (SQLite).
    #[serde(default)]
    store: Option<PathBuf>,
    /// The baseline of acknowledged conflicts.
    #[serde(default)]
    baseline: Option<PathBuf>,
    /// Relative tolerance under which two figures agree.
    #[serde(default)]
    tolerance: Option<f64>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding the config file (or the working directory without one).
    pub root: PathBuf,
    /// The file it was read from, if any.
    pub file: Option<PathBuf>,
    pub corpus: Vec<PathBuf>,
    pub rules: PathBuf,
    pub store: PathBuf,
    pub baseline: PathBuf,
    pub tolerance: f64,
}

impl Config {
    /// Finds and reads the config, from `explicit` or from `cwd` upwards.
    pub fn discover(cwd: &Path, explicit: Option<&Path>) -> Result<Config> {
        let file = match explicit {
            Some(p) => {
                if !p.is_file() {
                    return Err(Error::Usage(format!(
                        "config file {} not found",
                        p.display()
                    )));
                }
                Some(p.to_path_buf())
            }
            None => cwd
                .ancestors()
                .map(|d| d.join(FILE_NAME))
                .find(|p| p.is_file()),
        };
        let (root, parsed) = match &file {
            Some(f) => {
                let text = std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?;
                let parsed: ConfigFile = serde_yaml::from_str::<Option<ConfigFile>>(&text)
                    .map_err(|e| Error::invalid(yaml_diagnostic(f, &e)))?
                    .unwrap_or_default();
                (
                    f.parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| cwd.to_path_buf()),
                    parsed,
                )
            }
            None => (cwd.to_path_buf(), ConfigFile::default()),
        };
        // paths relative to the config file, shown relative to the working directory
        let rel = |p: PathBuf| -> PathBuf {
            let abs = if p.is_absolute() { p } else { root.join(p) };
            pathdiff(&abs, cwd)
        };
        let corpus = if parsed.corpus.is_empty() {
            vec![PathBuf::from("corpus")]
        } else {
            parsed.corpus
        };
        if let Some(t) = parsed.tolerance {
            if !(0.0..1.0).contains(&t) {
                return Err(Error::Usage(format!(
                    "tolerance {t} in {} must be between 0 and 1",
                    file.as_deref().unwrap_or(Path::new(FILE_NAME)).display()
                )));
            }
        }
        Ok(Config {
            corpus: corpus.into_iter().map(rel).collect(),
            rules: rel(parsed.rules.unwrap_or_else(|| "claims".into())),
            store: rel(parsed
                .store
                .unwrap_or_else(|| ".claimcheck/store.db".into())),
            baseline: rel(parsed
                .baseline
                .unwrap_or_else(|| "claims/baseline.yaml".into())),
            tolerance: parsed
                .tolerance
                .unwrap_or(crate::compare::DEFAULT_TOLERANCE),
            root,
            file,
        })
    }
}

/// `path` relative to `base` when it lies below it, else unchanged.
fn pathdiff(path: &Path, base: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(p) if p.as_os_str().is_empty() => PathBuf::from("."),
        Ok(p) => p.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}
