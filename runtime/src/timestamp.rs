//! Timestamp parameters with the `time` crate (a crate whose settings choose `chrono` formats
//! its timestamps in the generated code, which cannot fail, and has no `time` dependency).

use super::validation::ValidationError;

/// A timestamp parameter's text: RFC 3339, as `format: date-time` asks (`Display` of
/// `OffsetDateTime` is another format). One that RFC 3339 cannot write (a year past 9999, an
/// offset with seconds) is refused naming the parameter.
pub(crate) fn text(
    name: &'static str,
    value: time::OffsetDateTime,
) -> Result<String, ValidationError> {
    value
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|error| ValidationError::not_encodable(name, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc_3339_or_refused_by_name() {
        let value = time::OffsetDateTime::from_unix_timestamp(1_714_566_600).unwrap();
        assert_eq!(text("since", value).unwrap(), "2024-05-01T12:30:00Z");
        let odd = time::UtcOffset::from_hms(0, 0, 30).unwrap();
        let error = text("since", value.to_offset(odd)).unwrap_err();
        assert!(error.to_string().contains("since"), "{error}");
    }
}
