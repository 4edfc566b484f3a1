//! What a change of the API description does to the users of the generated crate, and the
//! version bump it needs: `generator diff OLD NEW` and `cargo xtask api-diff`.
//!
//! Both descriptions are loaded and lowered (nothing is emitted): the [`model`](crate::model)
//! decides the generated API, so two models are compared as a caller of the crate sees them.
//! Each difference is a [`Change`] with its Cargo semver [`Class`], grouped by what it is
//! about ([`Subject`]: the client, an operation, a type, a signed callback), in the models'
//! order.
//!
//! # The stability policy of a generated crate
//!
//! The crate is built to grow (see "A public API that can grow" in the crate docs): structs
//! with public fields and enums are `#[non_exhaustive]`, response enumerations are
//! `OrUnknown`, request types are made with `new` (the required fields) or `builder()`, and an
//! operation's optional parameters are setters of its call. So:
//!
//! - **major** (breaking): code that compiled against the old crate may not compile, or a
//!   call the old crate sent may be refused by the new one before it is sent;
//! - **minor** (additive): new things to use, and changes to what goes on the wire that
//!   leave every caller's code compiling and every accepted value accepted;
//! - **patch**: documentation only (descriptions, examples, limits the crate only
//!   documents).
//!
//! | Change in the description | Class | Why |
//! |---|---|---|
//! | operation added | minor | a new method |
//! | operation removed, or renamed (`operationId`) | major | the method is gone |
//! | operation's path or method changed, same name | minor | callers' code is unchanged; what is sent changes, which a patch release should not do |
//! | required parameter added | major | the method takes one more argument |
//! | optional parameter added | minor | a new setter on the call |
//! | parameter removed, or required ↔ optional | major | an argument or setter disappears |
//! | parameter moved (query, header...) or renamed on the wire only | minor | sent differently, same code |
//! | request body added, removed, or required ↔ optional | major | the method's arguments change |
//! | body media type changed, same Rust type | minor | encoded differently, same code |
//! | return type or error type changed | major | callers' matches and bindings break |
//! | pager added / removed | minor / major | `<op>_pages`, `<op>_stream` |
//! | type added / removed or renamed | minor / major | |
//! | type changed kind (struct → enum...) or a field's type changed | major | |
//! | response field added | minor | structs are `#[non_exhaustive]` |
//! | request field added, optional | minor | a new builder setter; `new` is unchanged |
//! | request field added, required | major | `new` takes one more argument, `build()` refuses what it built |
//! | field removed, or required ↔ optional (or nullable) | major | the field's type changes (`T` ↔ `Option<T>`), `new` changes |
//! | enumeration value added | minor | enums are `#[non_exhaustive]`; responses decode unknown values anyway (`OrUnknown`) |
//! | enumeration value removed | major | its variant is gone (in requests, the value cannot be sent) |
//! | union or status variant added / removed | minor / major | as enumeration values |
//! | a limit tightened on a request value (`maxLength` lowered, `pattern` added...) | major | a value accepted before is refused before sending |
//! | a limit loosened on a request value | minor | every value accepted before still is |
//! | a limit changed on a response value | patch | responses document limits, they do not check them |
//! | security: an operation's requirements no longer include every old alternative | major | a client set up for the old one is refused before sending |
//! | security: alternatives only added | minor | |
//! | credential scheme added / removed | minor / major | a client builder method |
//! | `Client::new`'s credentials changed | major | its arguments change |
//! | credential placement changed (header name...) | minor | sent differently, same code |
//! | server URL changed | minor | `Client::DEFAULT_BASE_URL` and where calls go; a base URL appearing or disappearing changes `Client::new`'s arguments: major |
//! | signed callback added / removed / body type changed | minor / major / major | `webhooks::verify_<name>` |
//! | signature header, algorithm, encoding or prefix changed | minor | checked differently, same code |
//! | cargo feature added / removed, or an operation moved to another | minor / major / major | |
//! | descriptions, summaries, examples, `info` | patch | documentation only |
//!
//! A loosened limit changes the type parameters of the checked type
//! (`BoundedString<0, 128>` → `BoundedString<0, 256>`): code that names a component's type
//! (`types::WebhookName`) or passes text through the builder is unaffected; code that spells
//! the bounds out is not. The generated docs and README present values through the alias or
//! the builder, so the policy counts the bounds as the rule's, not the API's.
//!
//! The rule types of checked values (`PatternString<Rule>`'s `Rule`, the bounds of floats)
//! are compared through the values that use them, not listed as types.
//!
//! # The version
//!
//! The crate's version must grow as far as the largest class requires, by Cargo's rules
//! ([`Version::required`]): from `1.x.y` on, breaking bumps `x` (to `(x+1).0.0`), additive bumps
//! `y`, a patch bumps the last number; in `0.x.y` a breaking change bumps `x` (to
//! `0.(x+1).0`) and an additive one `y`; in `0.0.z` every change is breaking and bumps `z`.
//! [`check_version`] checks a pair of versions against a report.

mod compare;
mod types;

use std::fmt::Write as _;

use crate::Settings;
use crate::diagnostics::Diagnostics;
use crate::model::Api;

/// The Cargo semver class of a change, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Documentation only.
    Patch,
    /// Additive: existing code keeps compiling and working.
    Minor,
    /// Breaking: existing code may not compile, or a call may be refused.
    Major,
}

impl Class {
    /// `major`, `minor` or `patch`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a change is about: the report groups changes by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// The client as a whole: servers, credentials, features, the crate's docs.
    Client,
    /// An operation, by its method name, with its HTTP method and path (the new ones, or the
    /// old ones when it was removed).
    Operation { name: String, request: String },
    /// A generated type, by its path under `types` (`Webhook`, `create_pet::Body`).
    Type { path: String },
    /// A signed callback, by its key in `callbacks`.
    Callback { name: String },
}

impl Subject {
    fn heading(&self) -> String {
        match self {
            Self::Client => "The client".to_owned(),
            Self::Operation { name, request } => format!("`{name}` (`{request}`)"),
            Self::Type { path } => format!("`types::{path}`"),
            Self::Callback { name } => format!("callback `{name}`"),
        }
    }
}

/// One difference a user of the crate can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub class: Class,
    pub subject: Subject,
    /// What changed and what it does to callers, in Markdown (one line).
    pub text: String,
}

/// One side of a comparison: a description and what to call it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The name errors and the report use (`spec/truv-webhooks.yaml@main`).
    pub label: &'a str,
    /// The document's text, YAML or JSON (told apart as [`generate`](crate::generate) does,
    /// from the label's extension, then the text).
    pub text: &'a str,
}

/// The changes between two descriptions, for the crate generated from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub old_label: String,
    pub new_label: String,
    /// Grouped by subject (client, then operations, types and callbacks in the models'
    /// order), each group in a fixed order.
    pub changes: Vec<Change>,
    /// The crate's version before and after, when known: the report then says whether the
    /// new one is far enough.
    pub versions: Option<(Version, Option<Version>)>,
}

/// Compares the crates generated from `old` and `new` with `settings`.
///
/// # Errors
///
/// A description that cannot be read, whose every operation is left out, or, with
/// [`Settings::strict`], that leaves anything out: its diagnostics, as
/// [`generate`](crate::generate) gives them.
pub fn diff(old: Side<'_>, new: Side<'_>, settings: &Settings) -> Result<Report, Diagnostics> {
    let old_api = lowered(old, settings)?;
    let new_api = lowered(new, settings)?;
    Ok(Report {
        old_label: old.label.to_owned(),
        new_label: new.label.to_owned(),
        changes: compare(&old_api, &new_api),
        versions: None,
    })
}

/// The changes between two lowered APIs, grouped as [`Report::changes`] has them.
#[must_use]
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = compare::client(old, new);
    changes.extend(compare::operations(old, new));
    changes.extend(types::types(old, new));
    changes.extend(compare::callbacks(old, new));
    changes
}

/// Loads and lowers one side as [`generate`](crate::generate) does (selection and type
/// mappings included), refusing it as `generate` would.
fn lowered(side: Side<'_>, settings: &Settings) -> Result<Api, Diagnostics> {
    crate::lowered(side.label, side.text, settings).map(|(api, _)| api)
}

impl Report {
    /// The report with the crate's version before and, where known, after the change.
    #[must_use]
    pub fn with_versions(mut self, old: Version, new: Option<Version>) -> Self {
        self.versions = Some((old, new));
        self
    }

    /// How many changes of each class: `(major, minor, patch)`.
    #[must_use]
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |class| self.changes.iter().filter(|c| c.class == class).count();
        (
            count(Class::Major),
            count(Class::Minor),
            count(Class::Patch),
        )
    }

    /// The largest class of change, which the version must follow; `None` without changes.
    #[must_use]
    pub fn required(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).max()
    }

    /// The report in Markdown: the counts, the changes grouped by subject (largest class
    /// first within a group), and the version verdict.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let (major, minor, patch) = self.counts();
        let _ = writeln!(
            out,
            "## API changes: `{}` → `{}`\n\n| major | minor | patch |\n|---:|---:|---:|\n| {major} | {minor} | {patch} |\n",
            self.old_label, self.new_label
        );
        let mut groups: Vec<(&Subject, Vec<&Change>)> = Vec::new();
        for change in &self.changes {
            match groups.iter_mut().find(|(s, _)| **s == change.subject) {
                Some((_, list)) => list.push(change),
                None => groups.push((&change.subject, vec![change])),
            }
        }
        for (subject, mut list) in groups {
            // Stable: within a class, the comparison's order.
            list.sort_by_key(|c| std::cmp::Reverse(c.class));
            let _ = writeln!(out, "### {}\n", subject.heading());
            for change in list {
                let _ = writeln!(out, "- **{}**: {}", change.class, change.text);
            }
            out.push('\n');
        }
        if self.changes.is_empty() {
            out.push_str("No change a user of the crate can see.\n\n");
        }
        out.push_str(&self.verdict());
        out
    }

    /// The last section: what the version must become.
    fn verdict(&self) -> String {
        let mut out = String::from("### Version\n\n");
        let Some(class) = self.required() else {
            out.push_str("No bump is required.\n");
            return out;
        };
        let kind = match class {
            Class::Major => "breaking",
            Class::Minor => "additive",
            Class::Patch => "documentation-only",
        };
        let _ = write!(out, "The changes are **{kind}** ({class}).");
        if let Some((old, new)) = &self.versions {
            let required = old.required(class);
            let _ = write!(out, " From `{old}`, the crate needs at least `{required}`.");
            if let Some(new) = new {
                match check_version(old, new, self.required()) {
                    Ok(()) => {
                        let _ = write!(out, " The new version, `{new}`, is enough.");
                    }
                    Err(problem) => {
                        let _ = write!(out, " **{problem}**.");
                    }
                }
            }
        }
        out.push('\n');
        out
    }
}

/// A crate version: `major.minor.patch` (a pre-release or build suffix is not compared).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    /// The smallest version after `self` that a change of `class` allows, by Cargo's rules:
    /// what Cargo treats as compatible with `self` must not receive a breaking change.
    #[must_use]
    pub fn required(&self, class: Class) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = *self;
        let next = |major, minor, patch| Version {
            major,
            minor,
            patch,
        };
        match (major, minor, class) {
            (0, 0, _) | (_, _, Class::Patch) | (0, _, Class::Minor) => {
                next(major, minor, patch + 1)
            }
            (0, _, Class::Major) => next(0, minor + 1, 0),
            (_, _, Class::Minor) => next(major, minor + 1, 0),
            (_, _, Class::Major) => next(major + 1, 0, 0),
        }
    }
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let core = text.trim().split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<Option<u64>> = core.split('.').map(|n| n.parse().ok()).collect();
        match numbers.as_slice() {
            [Some(major), Some(minor), Some(patch)] => Ok(Version {
                major: *major,
                minor: *minor,
                patch: *patch,
            }),
            _ => Err(format!(
                "`{text}` is not a version (major.minor.patch, as Cargo has them)"
            )),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Whether going from `old` to `new` is enough for changes whose largest class is
/// `required` (`None`: no change, and any version at least `old` will do).
///
/// # Errors
///
/// What is wrong, with the smallest version that would do.
pub fn check_version(old: &Version, new: &Version, required: Option<Class>) -> Result<(), String> {
    let Some(class) = required else {
        return if new >= old {
            Ok(())
        } else {
            Err(format!("the version went down, from `{old}` to `{new}`"))
        };
    };
    let least = old.required(class);
    if *new >= least {
        Ok(())
    } else {
        Err(format!(
            "`{new}` is not enough for {class} changes from `{old}`: use `{least}` or later"
        ))
    }
}
