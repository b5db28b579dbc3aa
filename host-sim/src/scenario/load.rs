//! Finding scenario files and reading them into runnable scenarios, with
//! errors that name the file, line and key.

use super::build::{Built, build};
use super::expect::Expectation;
use super::format::{LessonSpec, VisitListSpec, VisitSpec};
use super::locate::{KeyIndex, position};
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::{Path, PathBuf};

/// The file name of a lesson description inside a scenario folder.
pub const LESSON_FILE: &str = "lesson.toml";

/// Why scenarios could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// A path given does not exist.
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// The file is not valid TOML.
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A key is unknown, missing, of the wrong type or has a bad value.
    Key {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Dotted key path, e.g. `documents[1].valid_until` (empty: the top level).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A folder holds no scenario files.
    Empty {
        /// The folder.
        path: PathBuf,
    },
    /// A `lesson.toml` does not list its folder's scenarios exactly.
    Lesson {
        /// The lesson file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl LoadError {
    /// The file or folder the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::NotFound { path }
            | Self::Io { path, .. }
            | Self::Syntax { path, .. }
            | Self::Key { path, .. }
            | Self::Empty { path }
            | Self::Lesson { path, .. } => path,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { path } => write!(f, "{}: no such file or folder", path.display()),
            Self::Io { path, message } => write!(f, "{}: cannot read: {message}", path.display()),
            Self::Syntax { path, line, column, message } => {
                write!(f, "{}:{line}:{column}: not valid TOML: {message}", path.display())
            }
            Self::Key { path, line, column, key, message } if key.is_empty() => {
                write!(f, "{}:{line}:{column}: {message}", path.display())
            }
            Self::Key { path, line, column, key, message } => {
                write!(f, "{}:{line}:{column}: key `{key}`: {message}", path.display())
            }
            Self::Empty { path } => write!(f, "{}: no scenario files (*.toml) in this folder", path.display()),
            Self::Lesson { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// One scenario file found, with its name relative to the folder it was
/// found in (the name used in transcripts and reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file as found.
    pub path: PathBuf,
    /// `01-myna-basics/01-face.toml` under a searched folder; the file name
    /// for a file given directly.
    pub name: String,
}

/// Everything found under the paths given.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Scenario files, in path order.
    pub files: Vec<Found>,
    /// Lesson files, in path order.
    pub lessons: Vec<PathBuf>,
    /// Paths that do not exist, folders without scenarios.
    pub errors: Vec<LoadError>,
}

/// Finds scenario files: files as given, folders searched recursively for
/// `*.toml` (except `lesson.toml`, which is collected separately).
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut d = Discovery::default();
    for path in paths {
        if path.is_file() {
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            d.files.push(Found { path: path.clone(), name });
        } else if path.is_dir() {
            let before = d.files.len();
            if let Err(e) = walk(path, path, &mut d) {
                d.errors.push(e);
            } else if d.files.len() == before {
                d.errors.push(LoadError::Empty { path: path.clone() });
            }
        } else {
            d.errors.push(LoadError::NotFound { path: path.clone() });
        }
    }
    d
}

fn walk(root: &Path, dir: &Path, d: &mut Discovery) -> Result<(), LoadError> {
    let io = |e: std::io::Error| LoadError::Io { path: dir.to_path_buf(), message: e.to_string() };
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(root, &p, d)?;
        } else if p.file_name().is_some_and(|n| n == LESSON_FILE) {
            d.lessons.push(p);
        } else if p.extension().is_some_and(|e| e == "toml") {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            d.files.push(Found { path: p.clone(), name });
        }
    }
    Ok(())
}

/// A scenario ready to run: one visit of a file.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file.
    pub path: PathBuf,
    /// Its name (see [`Found::name`]).
    pub name: String,
    /// Position in a `[[visit]]` list (0-based); `None` for a one-visit file.
    pub index: Option<usize>,
    /// The inputs as written.
    pub spec: VisitSpec,
    /// The visit built from them.
    pub built: Built,
    /// What the decision must be.
    pub expect: Expectation,
}

impl Scenario {
    /// `name`, with `#N` (1-based) for a visit of a list.
    pub fn id(&self) -> String {
        match self.index {
            Some(i) => format!("{}#{}", self.name, i + 1),
            None => self.name.clone(),
        }
    }
}

fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound { path: path.to_path_buf() },
        _ => LoadError::Io { path: path.to_path_buf(), message: e.to_string() },
    })
}

/// Deserializes `text`, turning toml's error into a located [`LoadError`].
fn parse<T: DeserializeOwned>(path: &Path, text: &str, index: &KeyIndex) -> Result<T, LoadError> {
    toml::from_str::<T>(text).map_err(|e| {
        let span = e.span().unwrap_or(0..text.len());
        let Position { line, column } = position(text, span.start);
        let message = e.message().trim_end().to_string();
        match index.key_at(span) {
            _ if !index.is_toml() => LoadError::Syntax { path: path.to_path_buf(), line, column, message },
            Some(key) => LoadError::Key { path: path.to_path_buf(), line, column, key: key.to_string(), message },
            None => LoadError::Key { path: path.to_path_buf(), line, column, key: String::new(), message },
        }
    })
}

use super::locate::Position;

/// A located error about `key` (a full key path in the file).
fn at_key(path: &Path, text: &str, index: &KeyIndex, key: String, message: String) -> LoadError {
    let Position { line, column } = position(text, index.offset_of(&key).unwrap_or(0));
    LoadError::Key { path: path.to_path_buf(), line, column, key, message }
}

/// Reads one scenario file: one visit, or a `[[visit]]` list.
pub fn load_file(found: &Found) -> Result<Vec<Scenario>, LoadError> {
    let text = read(&found.path)?;
    load_text(found, &text)
}

/// Reads the text of the scenario file `found` (already read from disk).
pub fn load_text(found: &Found, text: &str) -> Result<Vec<Scenario>, LoadError> {
    let path = &found.path;
    let index = KeyIndex::new(text);
    let (specs, prefix): (Vec<(Option<usize>, VisitSpec)>, bool) = if index.has_key("visit") {
        let list: VisitListSpec = parse(path, text, &index)?;
        if list.visit.is_empty() {
            return Err(at_key(path, text, &index, "visit".into(), "the list has no visits".into()));
        }
        (list.visit.into_iter().enumerate().map(|(i, v)| (Some(i), v)).collect(), true)
    } else {
        (vec![(None, parse(path, text, &index)?)], false)
    };
    specs
        .into_iter()
        .map(|(i, spec)| {
            let full = |key: &str| match (prefix, i) {
                (true, Some(i)) => format!("visit[{i}].{key}"),
                _ => key.to_string(),
            };
            let built = build(&spec).map_err(|e| at_key(path, text, &index, full(&e.path), e.message))?;
            let expect =
                Expectation::from_spec(&spec.expect).map_err(|(key, m)| at_key(path, text, &index, full(&key), m))?;
            Ok(Scenario { path: path.clone(), name: found.name.clone(), index: i, spec, built, expect })
        })
        .collect()
}

/// A lesson: a folder of scenarios with its `lesson.toml`.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// The lesson file.
    pub path: PathBuf,
    /// Title, explanation and order as written.
    pub spec: LessonSpec,
}

/// Reads a `lesson.toml` and checks that `order` lists every scenario file
/// of its folder exactly once (and nothing else).
pub fn load_lesson(path: &Path) -> Result<Lesson, LoadError> {
    let text = read(path)?;
    let index = KeyIndex::new(&text);
    let spec: LessonSpec = parse(path, &text, &index)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |e: std::io::Error| LoadError::Io { path: dir.to_path_buf(), message: e.to_string() };
    let mut in_folder: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let p = entry.map_err(io)?.path();
        if p.is_file() && p.extension().is_some_and(|e| e == "toml") && p.file_name().is_some_and(|n| n != LESSON_FILE)
        {
            in_folder.extend(p.file_name().map(|n| n.to_string_lossy().into_owned()));
        }
    }
    for (i, name) in spec.order.iter().enumerate() {
        if !in_folder.contains(name) {
            return Err(at_key(
                path,
                &text,
                &index,
                format!("order[{i}]"),
                format!("no scenario file \"{name}\" in this folder"),
            ));
        }
        if spec.order[..i].contains(name) {
            return Err(at_key(path, &text, &index, format!("order[{i}]"), format!("\"{name}\" is listed twice")));
        }
    }
    in_folder.sort();
    let missing: Vec<&str> = in_folder.iter().filter(|n| !spec.order.contains(n)).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(LoadError::Lesson {
            path: path.to_path_buf(),
            message: format!("`order` does not list: {}", missing.join(", ")),
        });
    }
    Ok(Lesson { path: path.to_path_buf(), spec })
}
