//! The value types of members, as Tencent's API description names them.

use serde_json::Value;

/// A member's value type: the element type of a list member, or the type of a scalar one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// `string`.
    String,
    /// `datetime`: a string `2006-01-02 15:04:05`.
    Datetime,
    /// `datetime_iso`: an ISO 8601 string.
    DatetimeIso,
    /// `date`: a string `2006-01-02`.
    Date,
    /// `int64`.
    Int64,
    /// `uint64`.
    Uint64,
    /// `bool`.
    Bool,
    /// `float`.
    Float,
    /// `binary`: a string carrying bytes.
    Binary,
}

impl Scalar {
    /// Every type, in the order the description's documentation lists them.
    pub const ALL: [Scalar; 9] = [
        Self::String,
        Self::Datetime,
        Self::DatetimeIso,
        Self::Date,
        Self::Int64,
        Self::Uint64,
        Self::Bool,
        Self::Float,
        Self::Binary,
    ];

    /// The type a description names (`int64`), or `None` for a structure's name or an unknown
    /// word.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scalar| scalar.name() == name)
    }

    /// The type's name in the description.
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Datetime => "datetime",
            Self::DatetimeIso => "datetime_iso",
            Self::Date => "date",
            Self::Int64 => "int64",
            Self::Uint64 => "uint64",
            Self::Bool => "bool",
            Self::Float => "float",
            Self::Binary => "binary",
        }
    }

    /// Whether values of this type are written as JSON strings.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Self::String | Self::Datetime | Self::DatetimeIso | Self::Date | Self::Binary
        )
    }

    /// Whether `value` (not `null`) is a value of this type as a strict decoder reads it: an
    /// integer in range, any number for a float, a boolean, a string for the text types; with
    /// `numeric_strings`, an integer may also be written as a string of digits.
    pub fn fits(self, value: &Value, numeric_strings: bool) -> bool {
        match (self, value) {
            (Self::Int64, Value::Number(n)) => n.is_i64(),
            (Self::Uint64, Value::Number(n)) => n.is_u64(),
            (Self::Int64, Value::String(s)) => numeric_strings && s.parse::<i64>().is_ok(),
            (Self::Uint64, Value::String(s)) => numeric_strings && s.parse::<u64>().is_ok(),
            (Self::Float, Value::Number(_)) | (Self::Bool, Value::Bool(_)) => true,
            (text, Value::String(_)) => text.is_text(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_type_parses_back_from_its_name() {
        for scalar in Scalar::ALL {
            assert_eq!(Scalar::parse(scalar.name()), Some(scalar));
        }
        assert_eq!(Scalar::parse("Instance"), None);
    }

    #[test]
    fn values_fit_their_type_and_integers_as_strings_only_where_allowed() {
        assert!(Scalar::Int64.fits(&json!(-3), false));
        assert!(!Scalar::Uint64.fits(&json!(-3), false));
        assert!(!Scalar::Int64.fits(&json!("147286"), false));
        assert!(Scalar::Int64.fits(&json!("147286"), true));
        assert!(!Scalar::Int64.fits(&json!("1.5"), true));
        assert!(Scalar::Float.fits(&json!(2), false));
        assert!(Scalar::Bool.fits(&json!(true), false));
        assert!(!Scalar::Bool.fits(&json!("true"), true));
        assert!(Scalar::Datetime.fits(&json!("2020-01-01 00:00:00"), false));
        assert!(!Scalar::String.fits(&json!(12345), true));
        assert!(!Scalar::String.fits(&json!(null), true));
    }
}
