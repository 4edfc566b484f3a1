//! Request builders: what every generated builder's setters and `build` share.
#![allow(dead_code)] // An API's builders may have only optional fields, or none at all.

use super::validation::{ValidationError, ValidationErrorKind};

/// A value a builder's setter takes: anything that converts into `T`, checking it on the way
/// (a `&str` into a bounded string, say), or `T` itself.
pub trait IntoChecked<T> {
    /// The value as `T`, or why it is refused.
    ///
    /// # Errors
    ///
    /// The conversion's refusal, as a [`ValidationError`].
    fn into_checked(self) -> Result<T, ValidationError>;
}

impl<T, V> IntoChecked<T> for V
where
    V: TryInto<T>,
    V::Error: Into<ValidationError>,
{
    fn into_checked(self) -> Result<T, ValidationError> {
        self.try_into().map_err(Into::into)
    }
}

/// A parameter's value, converted (and so checked) on the way in; a refusal names `field`
/// (the parameter's wire name).
pub(crate) fn checked<T>(
    field: &'static str,
    value: impl IntoChecked<T>,
) -> Result<T, ValidationError> {
    value.into_checked().map_err(|error| error.in_field(field))
}

/// One field of a builder: not set yet, set to a value checked on the way in, or refused
/// (the error is kept until `build()`, which reports the first one).
#[derive(Debug, Clone)]
pub(crate) struct Slot<T>(Option<Result<T, ValidationError>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> Slot<T> {
    /// Sets the value, converting (and so checking) it; a refusal names `field`.
    pub(crate) fn set(&mut self, field: &'static str, value: impl IntoChecked<T>) {
        self.0 = Some(value.into_checked().map_err(|error| error.in_field(field)));
    }

    /// The value of a required field: its refusal, or `Missing` when it was never set.
    pub(crate) fn required(self, field: &'static str) -> Result<T, ValidationError> {
        self.0
            .unwrap_or_else(|| Err(ValidationError::new(field, ValidationErrorKind::Missing)))
    }

    /// The value of an optional field, if it was set: its refusal where it was refused.
    pub(crate) fn optional(self) -> Result<Option<T>, ValidationError> {
        self.0.transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checked::BoundedString;

    #[test]
    fn a_slot_keeps_the_first_refusal_until_it_is_read() {
        let mut name: Slot<BoundedString<0, 3>> = Slot::default();
        assert_eq!(
            name.clone().required("Pet.name").unwrap_err().kind(),
            &ValidationErrorKind::Missing
        );
        assert!(name.clone().optional().unwrap().is_none());
        name.set("Pet.name", "long");
        let error = name.clone().required("Pet.name").unwrap_err();
        assert_eq!(error.field(), "Pet.name");
        assert!(matches!(error.kind(), ValidationErrorKind::TooLong { .. }));
        name.set("Pet.name", "ok");
        assert_eq!(name.optional().unwrap().unwrap().as_str(), "ok");
    }
}
