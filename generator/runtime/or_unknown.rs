//! Tolerant decoding of enumerations in responses.
//!
//! Part of the runtime that the generator copies verbatim into every generated crate.

use std::fmt;
use std::str::FromStr;

/// An enumeration value received from the server: one the API description lists, or one it
/// does not list (yet).
///
/// APIs add enumeration values over time. Decoding a response must not fail because of one
/// new value, so response fields hold `OrUnknown<E>`; an unknown value is kept as sent and
/// serializes back unchanged. Requests use the exact enumeration `E`, so a caller can only
/// send values the API description allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrUnknown<T> {
    /// A value the API description lists.
    Known(T),
    /// A value the API description does not list, exactly as the server sent it.
    Unknown(String),
}

impl<T> OrUnknown<T> {
    /// The known value, if it is one.
    #[must_use]
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }

    /// Whether the API description lists this value.
    #[must_use]
    pub fn is_known(&self) -> bool {
        matches!(self, Self::Known(_))
    }
}

impl<T: AsRef<str>> OrUnknown<T> {
    /// The value as it appears on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(value) => value.as_ref(),
            Self::Unknown(raw) => raw,
        }
    }
}

impl<T> From<T> for OrUnknown<T> {
    fn from(value: T) -> Self {
        Self::Known(value)
    }
}

impl<T: PartialEq> PartialEq<T> for OrUnknown<T> {
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T: AsRef<str>> fmt::Display for OrUnknown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: AsRef<str>> serde::Serialize for OrUnknown<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, T: FromStr> serde::Deserialize<'de> for OrUnknown<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(match raw.parse::<T>() {
            Ok(value) => Self::Known(value),
            Err(_) => Self::Unknown(raw),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Color {
        Red,
    }

    impl AsRef<str> for Color {
        fn as_ref(&self) -> &'static str {
            "red"
        }
    }

    impl FromStr for Color {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            if s == "red" { Ok(Self::Red) } else { Err(()) }
        }
    }

    #[test]
    fn known_and_unknown_round_trip() {
        let known: OrUnknown<Color> = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(known, Color::Red);
        let unknown: OrUnknown<Color> = serde_json::from_str("\"ultraviolet\"").unwrap();
        assert_eq!(unknown, OrUnknown::Unknown("ultraviolet".to_owned()));
        assert_eq!(unknown.as_str(), "ultraviolet");
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"ultraviolet\"");
        assert_eq!(serde_json::to_string(&known).unwrap(), "\"red\"");
    }

    #[test]
    fn non_strings_are_still_errors() {
        assert!(serde_json::from_str::<OrUnknown<Color>>("42").is_err());
    }
}
