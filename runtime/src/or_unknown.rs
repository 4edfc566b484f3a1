//! Tolerant decoding of enumerations in responses.

use std::fmt;

use super::enums::{IntegerEnum, StringEnum};

/// An enumeration value received from the server: one the API description lists, or one it
/// does not list (yet).
///
/// APIs add enumeration values over time. Decoding a response must not fail because of one
/// new value, so response fields hold `OrUnknown<E>`; an unknown value is kept as sent (`W` is
/// its wire type: `String` for string enumerations, `i64` for integer ones) and serializes
/// back unchanged. Requests use the exact enumeration `E`, so a caller can only send values
/// the API description allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrUnknown<T, W = String> {
    /// A value the API description lists.
    Known(T),
    /// A value the API description does not list, exactly as the server sent it.
    Unknown(W),
}

impl<T, W> OrUnknown<T, W> {
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

impl<T: StringEnum> OrUnknown<T, String> {
    /// The value as it appears on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(value) => value.wire(),
            Self::Unknown(raw) => raw,
        }
    }
}

impl<T, W> From<T> for OrUnknown<T, W> {
    fn from(value: T) -> Self {
        Self::Known(value)
    }
}

impl<T: PartialEq, W> PartialEq<T> for OrUnknown<T, W> {
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T: fmt::Display, W: fmt::Display> fmt::Display for OrUnknown<T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Known(value) => value.fmt(f),
            Self::Unknown(raw) => raw.fmt(f),
        }
    }
}

impl<T: serde::Serialize, W: serde::Serialize> serde::Serialize for OrUnknown<T, W> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Known(value) => value.serialize(serializer),
            Self::Unknown(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de, T: StringEnum> serde::Deserialize<'de> for OrUnknown<T, String> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
        Ok(match T::from_wire(&raw) {
            Some(value) => Self::Known(value),
            None => Self::Unknown(raw),
        })
    }
}

impl<'de, T: IntegerEnum> serde::Deserialize<'de> for OrUnknown<T, i64> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <i64 as serde::Deserialize>::deserialize(deserializer)?;
        Ok(match T::from_number(raw) {
            Some(value) => Self::Known(value),
            None => Self::Unknown(raw),
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

    impl StringEnum for Color {
        const NAME: &'static str = "Color";
        const ALL: &'static [Self] = &[Self::Red];
        const VALUES: &'static [&'static str] = &["red"];

        fn wire(self) -> &'static str {
            "red"
        }
    }

    impl serde::Serialize for Color {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(self.wire())
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Level {
        One,
    }

    impl IntegerEnum for Level {
        const NAME: &'static str = "Level";
        const ALL: &'static [Self] = &[Self::One];
        const VALUES: &'static [i64] = &[1];
        const TEXTS: &'static [&'static str] = &["1"];

        fn wire(self) -> i64 {
            1
        }
    }

    impl serde::Serialize for Level {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_i64(self.wire())
        }
    }

    #[test]
    fn known_and_unknown_strings_round_trip() {
        let known: OrUnknown<Color> = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(known, Color::Red);
        let unknown: OrUnknown<Color> = serde_json::from_str("\"ultraviolet\"").unwrap();
        assert_eq!(unknown, OrUnknown::Unknown("ultraviolet".to_owned()));
        assert_eq!(unknown.as_str(), "ultraviolet");
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"ultraviolet\"");
        assert_eq!(serde_json::to_string(&known).unwrap(), "\"red\"");
    }

    #[test]
    fn unknown_integers_are_kept() {
        let unknown: OrUnknown<Level, i64> = serde_json::from_str("7").unwrap();
        assert_eq!(unknown, OrUnknown::Unknown(7));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "7");
        let known: OrUnknown<Level, i64> = serde_json::from_str("1").unwrap();
        assert!(known.is_known());
    }

    #[test]
    fn values_of_the_wrong_type_are_still_errors() {
        assert!(serde_json::from_str::<OrUnknown<Color>>("42").is_err());
        assert!(serde_json::from_str::<OrUnknown<Level, i64>>("\"one\"").is_err());
    }
}
