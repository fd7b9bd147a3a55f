//! Serde adapters for integer fields of generated types.
//!
//! Tencent Cloud documents integers as JSON numbers, yet its own examples and some services send
//! them as strings (`"Force": "1"`). These adapters accept both on input and always write numbers.
//! Use them as `#[serde(with = "tencentcloud_runtime::serde_helpers::int64")]`; the `option_*`
//! variants also need `#[serde(default)]` so that an absent field becomes `None`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

/// An integer type that may be read from a JSON number or a numeric string.
trait Integer: Sized + Copy + fmt::Display {
    const NAME: &'static str;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn parse(s: &str) -> Option<Self>;
}

impl Integer for i64 {
    const NAME: &'static str = "a signed 64-bit integer";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

impl Integer for u64 {
    const NAME: &'static str = "an unsigned 64-bit integer";
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok()
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

struct IntegerVisitor<T>(PhantomData<T>);

impl<T: Integer> IntegerVisitor<T> {
    fn out_of_range<E: de::Error>(value: impl fmt::Display) -> E {
        E::custom(format_args!("{value} is out of range for {}", T::NAME))
    }
}

impl<T: Integer> Visitor<'_> for IntegerVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} as a JSON number or a numeric string", T::NAME)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| Self::out_of_range(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| Self::out_of_range(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // `2.0` carries an integer; `2.5` does not and must not be truncated silently.
        if v.fract() != 0.0 || !v.is_finite() {
            return Err(E::invalid_value(de::Unexpected::Float(v), &self));
        }
        if (0.0..18_446_744_073_709_551_616.0).contains(&v) {
            return self.visit_u64(v as u64);
        }
        if (-9_223_372_036_854_775_808.0..0.0).contains(&v) {
            return self.visit_i64(v as i64);
        }
        Err(Self::out_of_range(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Integer> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "null, or {} as a JSON number or a numeric string",
            T::NAME
        )
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(IntegerVisitor::<T>(PhantomData))
            .map(Some)
    }
}

/// `i64` fields: written as a JSON number, read from a number or a numeric string.
pub mod int64 {
    use super::*;

    /// Writes the value as a JSON number.
    pub fn serialize<S: Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*value)
    }

    /// Reads a JSON number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(IntegerVisitor::<i64>(PhantomData))
    }
}

/// `u64` fields: written as a JSON number, read from a number or a numeric string.
pub mod uint64 {
    use super::*;

    /// Writes the value as a JSON number.
    pub fn serialize<S: Serializer>(value: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*value)
    }

    /// Reads a JSON number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(IntegerVisitor::<u64>(PhantomData))
    }
}

/// `Option<i64>` fields: `None` is written as `null`; `null` reads as `None`.
pub mod option_int64 {
    use super::*;

    /// Writes `Some` as a JSON number and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(v),
            None => s.serialize_none(),
        }
    }

    /// Reads `null`, a JSON number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_option(OptionVisitor::<i64>(PhantomData))
    }
}

/// `Option<u64>` fields: `None` is written as `null`; `null` reads as `None`.
pub mod option_uint64 {
    use super::*;

    /// Writes `Some` as a JSON number and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(v),
            None => s.serialize_none(),
        }
    }

    /// Reads `null`, a JSON number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_option(OptionVisitor::<u64>(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(rename = "Force", with = "super::int64")]
        force: i64,
        #[serde(rename = "Bandwidth", with = "super::uint64")]
        bandwidth: u64,
        #[serde(
            rename = "Limit",
            default,
            with = "super::option_int64",
            skip_serializing_if = "Option::is_none"
        )]
        limit: Option<i64>,
        #[serde(rename = "Count", default, with = "super::option_uint64")]
        count: Option<u64>,
    }

    fn parse(v: serde_json::Value) -> Result<Sample, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn integers_are_accepted_as_numbers_or_numeric_strings() {
        let from_numbers = parse(json!({"Force": 1, "Bandwidth": 10, "Limit": -5, "Count": 7}));
        let from_strings =
            parse(json!({"Force": "1", "Bandwidth": "10", "Limit": "-5", "Count": "7"}));
        let expected = Sample {
            force: 1,
            bandwidth: 10,
            limit: Some(-5),
            count: Some(7),
        };
        assert_eq!(from_numbers.unwrap(), expected);
        assert_eq!(from_strings.unwrap(), expected);
    }

    #[test]
    fn integers_are_always_written_as_numbers() {
        let sample = Sample {
            force: 1,
            bandwidth: u64::MAX,
            limit: None,
            count: Some(3),
        };
        assert_eq!(
            serde_json::to_value(&sample).unwrap(),
            json!({"Force": 1, "Bandwidth": u64::MAX, "Count": 3})
        );
    }

    #[test]
    fn absent_or_null_optional_integers_are_none() {
        let s = parse(json!({"Force": 0, "Bandwidth": 0, "Limit": null})).unwrap();
        assert_eq!(s.limit, None);
        assert_eq!(s.count, None);
    }

    #[test]
    fn integral_floats_are_accepted_but_fractions_rejected() {
        assert_eq!(
            parse(json!({"Force": 2.0, "Bandwidth": 3.0}))
                .unwrap()
                .force,
            2
        );
        let err = parse(json!({"Force": 2.5, "Bandwidth": 0})).unwrap_err();
        assert!(err.to_string().contains("2.5"), "{err}");
    }

    #[test]
    fn non_numeric_and_out_of_range_values_are_rejected_with_the_value() {
        let err = parse(json!({"Force": "one", "Bandwidth": 0})).unwrap_err();
        assert!(err.to_string().contains("\"one\""), "{err}");
        let err = parse(json!({"Force": 0, "Bandwidth": -1})).unwrap_err();
        assert!(err.to_string().contains("-1 is out of range"), "{err}");
        let err = parse(json!({"Force": u64::MAX, "Bandwidth": 0})).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
        let err = parse(json!({"Force": " 1", "Bandwidth": 0})).unwrap_err();
        assert!(err.to_string().contains("\" 1\""), "{err}");
        let err = parse(json!({"Force": true, "Bandwidth": 0})).unwrap_err();
        assert!(err.to_string().contains("numeric string"), "{err}");
    }
}
