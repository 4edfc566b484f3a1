//! The settings file (`generator.toml`): everything the command line says, and what shapes the
//! output (which operations, which types). Every key is documented in `SETTINGS.md`, which is
//! also this module's documentation below.
//!
//! One code path reads it for every way of running the generator: the CLI (`--config`), a
//! build script ([`crate::build_script`]) and `cargo xtask codegen`. Unknown keys are errors
//! naming the key and the file.
#![doc = include_str!("../SETTINGS.md")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The conventional name of the settings file, beside the description.
pub const FILE_NAME: &str = "generator.toml";

/// A settings file as written: every key optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct File {
    /// The description, relative to the settings file.
    pub input: Option<PathBuf>,
    /// Where the CLI writes the crate, relative to the settings file.
    pub output: Option<PathBuf>,
    /// Refuse the description if any part of it cannot be generated.
    pub strict: Option<bool>,
    #[serde(default)]
    pub package: Package,
    #[serde(default)]
    pub select: Selection,
    #[serde(default)]
    pub types: TypesFile,
}

/// `[package]`: what the generated `Cargo.toml` says of the crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    pub name: Option<String>,
    pub version: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
}

/// `[select]`: which operations the crate has. An operation is kept when no include rule is
/// given or one matches it, and no exclude rule matches it; the types only left-out
/// operations use are not generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Selection {
    /// Keep the operations with one of these tags (exact, case-sensitive).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Keep the operations whose `operationId` matches one of these globs (`*`, `?`, `[a-z]`).
    #[serde(default)]
    pub operations: Vec<String>,
    /// Keep the operations under one of these paths (whole segments: `/v1/webhooks` keeps
    /// `/v1/webhooks/{id}`, not `/v1/webhooks-beta`).
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    #[serde(default)]
    pub exclude_operations: Vec<String>,
    #[serde(default)]
    pub exclude_paths: Vec<String>,
}

/// `[types]` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypesFile {
    pub date_time: Option<DateTimeCrate>,
    #[serde(default)]
    pub formats: BTreeMap<String, Mapping>,
    #[serde(default)]
    pub schemas: BTreeMap<String, Mapping>,
}

/// A mapping as written: a preset's name, or the type itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Mapping {
    Preset(String),
    Type(RustTypeFile),
}

/// A Rust type as written (the keys of progenitor's `x-rust-type`, and `features`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustTypeFile {
    /// The type's path (`uuid::Uuid`, `crate::ids::UserId`).
    pub path: String,
    /// The crate it comes from, added to the generated `Cargo.toml` (none for `std::` and
    /// `crate::` paths).
    #[serde(rename = "crate")]
    pub krate: Option<String>,
    /// The dependency's version requirement.
    pub version: Option<String>,
    /// The dependency's features (`serde`, as most types need).
    #[serde(default)]
    pub features: Vec<String>,
}

/// Which crate `format: date-time` values are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateTimeCrate {
    /// `time::OffsetDateTime`.
    #[default]
    Time,
    /// `chrono::DateTime<chrono::Utc>`.
    Chrono,
}

/// A type the crate uses instead of generating one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustType {
    /// The type's path, checked to be one: `uuid::Uuid`, `crate::ids::UserId`.
    pub path: String,
    /// The dependency it needs, if any.
    pub dependency: Option<Dependency>,
}

/// A dependency a mapped type adds to the generated `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub features: Vec<String>,
}

/// The type settings, checked: what lowering reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Types {
    pub date_time: DateTimeCrate,
    /// By `format` (of a string, integer or number schema).
    pub formats: BTreeMap<String, RustType>,
    /// By component schema name (`components.schemas` key).
    pub schemas: BTreeMap<String, RustType>,
}

/// The presets a format mapping can name: `(preset, path, crate, version, features)`.
pub const PRESETS: &[(&str, &str, &str, &str, &[&str])] = &[
    ("uuid", "uuid::Uuid", "uuid", "1", &["serde"]),
    (
        "rust_decimal",
        "rust_decimal::Decimal",
        "rust_decimal",
        "1",
        &["serde"],
    ),
];

impl RustType {
    /// Reads a type as written in the settings file or in `x-rust-type`; what is wrong with
    /// it, named.
    pub fn from_file(written: &RustTypeFile) -> Result<Self, String> {
        let path = written.path.trim();
        let parsed: syn::Path = syn::parse_str(path)
            .map_err(|_| format!("`{path}` is not a Rust type path (`uuid::Uuid`)"))?;
        if parsed.segments.len() < 2 {
            return Err(format!(
                "`{path}` needs the crate or module it is in (`my_crate::{path}`)"
            ));
        }
        let first = parsed.segments[0].ident.to_string();
        let local = matches!(first.as_str(), "crate" | "std" | "core" | "alloc");
        let dependency = match (&written.krate, &written.version) {
            (Some(name), Some(version)) => Some(Dependency {
                name: name.clone(),
                version: version.clone(),
                features: written.features.clone(),
            }),
            (Some(name), None) => {
                return Err(format!("`{path}`: crate `{name}` needs a `version`"));
            }
            (None, Some(_)) => return Err(format!("`{path}`: `version` without a `crate`")),
            (None, None) if local => None,
            (None, None) => {
                return Err(format!(
                    "`{path}`: name the `crate` it comes from and its `version` (only `crate::` \
                     and `std::` paths need none)"
                ));
            }
        };
        // The crate's name as a path: `rust-decimal` is used as `rust_decimal::`.
        if let Some(dependency) = &dependency
            && dependency.name.replace('-', "_") != first
        {
            return Err(format!(
                "`{path}` does not start with its crate `{}`",
                dependency.name
            ));
        }
        Ok(Self {
            path: path.to_owned(),
            dependency,
        })
    }

    fn from_mapping(mapping: &Mapping) -> Result<Self, String> {
        match mapping {
            Mapping::Type(written) => Self::from_file(written),
            Mapping::Preset(name) => {
                let Some((_, path, krate, version, features)) =
                    PRESETS.iter().find(|preset| preset.0 == name)
                else {
                    let known: Vec<&str> = PRESETS.iter().map(|preset| preset.0).collect();
                    return Err(format!(
                        "no preset `{name}` (presets: {}; or write `{{ path, crate, version }}`)",
                        known.join(", ")
                    ));
                };
                Ok(Self {
                    path: (*path).to_owned(),
                    dependency: Some(Dependency {
                        name: (*krate).to_owned(),
                        version: (*version).to_owned(),
                        features: features.iter().map(|f| (*f).to_owned()).collect(),
                    }),
                })
            }
        }
    }
}

impl Selection {
    /// Whether any rule is given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether it keeps an operation with this path (`None` for a webhook, which has none),
    /// `operationId` and tags.
    #[must_use]
    pub fn keeps(&self, path: Option<&str>, id: Option<&str>, tags: &[String]) -> bool {
        let rules = self.rules();
        let (excludes, includes): (Vec<_>, Vec<_>) = rules
            .iter()
            .partition(|(kind, _)| kind.starts_with("excluded "));
        let matches =
            |(kind, value): &&(&str, &str)| Self::rule_matches(kind, value, path, id, tags);
        (includes.is_empty() || includes.iter().any(matches)) && !excludes.iter().any(matches)
    }

    /// Each rule as written, `kind: value`, for the crate's README and for errors.
    #[must_use]
    pub fn rules(&self) -> Vec<(&'static str, &str)> {
        let lists: [(&'static str, &Vec<String>); 6] = [
            ("tag", &self.tags),
            ("operation", &self.operations),
            ("path", &self.paths),
            ("excluded tag", &self.exclude_tags),
            ("excluded operation", &self.exclude_operations),
            ("excluded path", &self.exclude_paths),
        ];
        lists
            .into_iter()
            .flat_map(|(kind, values)| values.iter().map(move |v| (kind, v.as_str())))
            .collect()
    }

    /// Whether one rule (from [`Self::rules`]) matches an operation.
    #[must_use]
    pub fn rule_matches(
        kind: &str,
        value: &str,
        path: Option<&str>,
        id: Option<&str>,
        tags: &[String],
    ) -> bool {
        match kind.trim_start_matches("excluded ") {
            "tag" => tags.iter().any(|t| t == value),
            "operation" => id.is_some_and(|id| glob_matches(value, id)),
            _ => path.is_some_and(|p| under(value, p)),
        }
    }

    fn check(&self) -> Result<(), String> {
        for (kind, value) in self.rules() {
            if kind.ends_with("operation") && glob::Pattern::new(value).is_err() {
                return Err(format!("select: `{value}` is not a glob pattern"));
            }
            if kind.ends_with("path") && !value.starts_with('/') {
                return Err(format!("select: path `{value}` must start with `/`"));
            }
        }
        Ok(())
    }
}

/// Whether `id` matches the glob `pattern` (checked in [`Selection::check`]).
fn glob_matches(pattern: &str, id: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(id))
}

/// Whether `path` is `prefix` or below it, by whole segments.
fn under(prefix: &str, path: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
        || prefix.is_empty()
}

/// A settings file read and checked, with paths resolved against its directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from (`None`: no file, every setting its default).
    pub file: Option<PathBuf>,
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub strict: Option<bool>,
    pub package: Package,
    pub select: Selection,
    pub types: Types,
}

impl Config {
    /// Reads the settings file at `path`. Errors name the file, and the key where one is to
    /// blame (`generator.toml: unknown field `tgas` ... at line 3`).
    pub fn load(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let file: File = toml::from_str(&text).map_err(|e| {
            let message = e.message().trim_end();
            match e.span().map(|span| line_of(&text, span.start)) {
                Some(line) => format!("{shown}:{line}: {message}"),
                None => format!("{shown}: {message}"),
            }
        })?;
        Self::from_file(file, Some(path)).map_err(|e| format!("{shown}: {e}"))
    }

    /// Checks a settings file's contents; paths are relative to `at`'s directory.
    pub fn from_file(file: File, at: Option<&Path>) -> Result<Self, String> {
        let dir = at.and_then(Path::parent).unwrap_or(Path::new(""));
        file.select.check()?;
        let map = |kind: &str, mappings: &BTreeMap<String, Mapping>| {
            mappings
                .iter()
                .map(|(key, mapping)| {
                    RustType::from_mapping(mapping)
                        .map(|ty| (key.clone(), ty))
                        .map_err(|e| format!("types.{kind}.{key}: {e}"))
                })
                .collect::<Result<BTreeMap<_, _>, String>>()
        };
        Ok(Self {
            file: at.map(Path::to_path_buf),
            input: file.input.map(|p| dir.join(p)),
            output: file.output.map(|p| dir.join(p)),
            strict: file.strict,
            package: file.package,
            select: file.select,
            types: Types {
                date_time: file.types.date_time.unwrap_or_default(),
                formats: map("formats", &file.types.formats)?,
                schemas: map("schemas", &file.types.schemas)?,
            },
        })
    }
}

/// What the command line (or a build script) says, over the settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub crate_name: Option<String>,
    pub crate_version: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
    /// `--strict` (only ever turns strictness on).
    pub strict: bool,
}

/// One run of the generator: the description to read and the settings to generate with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    /// Where the crate goes, when the flags or the file say.
    pub output: Option<PathBuf>,
    pub settings: crate::Settings,
}

impl Config {
    /// The run the flags ask for, the file's settings under them. `default_name` names the
    /// crate when neither does (the CLI: the output directory's name; a build script: the
    /// package's); `regenerate` is the command generated files tell readers to run.
    pub fn job(
        self,
        flags: Flags,
        default_name: impl FnOnce(Option<&Path>) -> Result<String, String>,
        regenerate: impl FnOnce(&str) -> String,
    ) -> Result<Job, String> {
        let from = |what: &str| match &self.file {
            Some(file) => format!(
                "{what}: give it on the command line or in {}",
                file.display()
            ),
            None => format!("{what}: give it on the command line or in a settings file (--config)"),
        };
        let input = flags
            .input
            .or(self.input)
            .ok_or_else(|| from("no description to read"))?;
        let output = flags.output.or(self.output);
        let crate_name = match flags.crate_name.or(self.package.name) {
            Some(name) => name,
            None => default_name(output.as_deref())?,
        };
        let source_label = file_label(&input);
        let settings = crate::Settings {
            crate_name,
            crate_version: flags
                .crate_version
                .or(self.package.version)
                .unwrap_or_else(|| "0.1.0".to_owned()),
            regenerate_command: regenerate(&source_label),
            source_label,
            license: flags.license.or(self.package.license),
            repository: flags.repository.or(self.package.repository),
            strict: flags.strict || self.strict.unwrap_or(false),
            select: self.select,
            types: self.types,
        };
        Ok(Job {
            input,
            output,
            settings,
        })
    }
}

impl Job {
    /// Reads the description and generates the crate in memory.
    pub fn generate(&self) -> Result<crate::Generated, String> {
        let shown = self.input.display().to_string();
        let text = std::fs::read_to_string(&self.input)
            .map_err(|e| format!("{shown}: cannot read: {e}"))?;
        crate::generate(&shown, &text, &self.settings).map_err(|d| d.to_string())
    }
}

/// How generated files name a file they come from: its name without the caller's
/// directories, so that output does not depend on where it was generated.
#[must_use]
pub fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        let file: File = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        Config::from_file(file, Some(Path::new("spec/generator.toml")))
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let error = parse("[select]\ntgas = [\"a\"]\n").unwrap_err();
        assert!(error.contains("unknown field `tgas`"), "{error}");
        let error = parse("outptu = \"x\"\n").unwrap_err();
        assert!(error.contains("unknown field `outptu`"), "{error}");
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let config = parse("input = \"api.yaml\"\noutput = \"../client\"\n").unwrap();
        assert_eq!(config.input, Some(PathBuf::from("spec/api.yaml")));
        assert_eq!(config.output, Some(PathBuf::from("spec/../client")));
    }

    #[test]
    fn mappings_are_checked() {
        let config = parse(
            "[types]\ndate-time = \"chrono\"\nformats = { uuid = \"uuid\" }\n\
             [types.schemas.UserId]\npath = \"crate::ids::UserId\"\n",
        )
        .unwrap();
        assert_eq!(config.types.date_time, DateTimeCrate::Chrono);
        assert_eq!(config.types.formats["uuid"].path, "uuid::Uuid");
        assert_eq!(config.types.schemas["UserId"].dependency, None);
        let error = parse("[types.formats]\nuuid = \"uuids\"\n").unwrap_err();
        assert!(
            error.starts_with("types.formats.uuid: no preset `uuids`"),
            "{error}"
        );
        let error = parse("[types.schemas.A]\npath = \"ids::A\"\n").unwrap_err();
        assert!(error.contains("name the `crate`"), "{error}");
        let error =
            parse("[types.schemas.A]\npath = \"ids::A\"\ncrate = \"other\"\nversion = \"1\"\n")
                .unwrap_err();
        assert!(
            error.contains("does not start with its crate `other`"),
            "{error}"
        );
        let error = parse("[types.schemas.A]\npath = \"not a path\"\n").unwrap_err();
        assert!(error.contains("is not a Rust type path"), "{error}");
    }

    #[test]
    fn selection_keeps_by_tag_id_and_path_minus_exclusions() {
        let select = Selection {
            tags: vec!["webhooks".to_owned()],
            operations: vec!["list_*".to_owned()],
            paths: vec!["/v1/users".to_owned()],
            exclude_operations: vec!["*_delete".to_owned()],
            ..Selection::default()
        };
        let tags = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(select.keeps(Some("/v1/hooks"), Some("create"), &tags(&["webhooks"])));
        assert!(select.keeps(Some("/v1/x"), Some("list_links"), &[]));
        assert!(select.keeps(Some("/v1/users/{id}"), None, &[]));
        assert!(!select.keeps(Some("/v1/users-beta"), None, &[]));
        assert!(!select.keeps(Some("/v1/users/{id}"), Some("user_delete"), &[]));
        assert!(!select.keeps(None, Some("create"), &tags(&["other"])));
        assert!(Selection::default().keeps(Some("/any"), None, &[]));
        let error = parse("[select]\npaths = [\"v1\"]\n").unwrap_err();
        assert!(error.contains("must start with `/`"), "{error}");
        let error = parse("[select]\noperations = [\"[a\"]\n").unwrap_err();
        assert!(error.contains("not a glob"), "{error}");
    }
}
