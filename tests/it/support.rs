//! A small builder for temporary corpora and a runner for the binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (for the shipped rules and corpus).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared evaluation folder beside the repository, when present (CI has it).
pub fn shared_eval() -> Option<PathBuf> {
    let p = repo().join("../shared/eval");
    p.is_dir().then_some(p)
}

/// A temporary project: a folder with a corpus, the shipped rules and a config.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// An empty project using the shipped rules.
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("corpus")).expect("corpus dir");
        let cfg = format!(
            "corpus: [corpus]\nrules: {}\nstore: .claimcheck/store.db\nbaseline: baseline.yaml\n",
            repo().join("claims").display()
        );
        std::fs::write(dir.path().join("claimcheck.yaml"), cfg).expect("config");
        Project { dir }
    }

    /// A project holding the bundled seed corpus.
    pub fn with_seeds() -> Project {
        let p = Project::new();
        for e in std::fs::read_dir(repo().join("corpus")).expect("corpus") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), p.path().join("corpus").join(e.file_name())).expect("copy");
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the project.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("dirs");
        }
        std::fs::write(p, text).expect("write");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read")
    }

    /// Runs claimcheck in the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::new(
            Command::new(env!("CARGO_BIN_EXE_claimcheck"))
                .args(args)
                .current_dir(self.path())
                .output()
                .expect("run"),
        )
    }
}

/// Runs claimcheck in the repository root.
pub fn run_in_repo(args: &[&str]) -> Run {
    Run::new(
        Command::new(env!("CARGO_BIN_EXE_claimcheck"))
            .args(args)
            .current_dir(repo())
            .output()
            .expect("run"),
    )
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn new(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(&self, want: i32) -> &Self {
        assert_eq!(
            self.code, want,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }

    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}
