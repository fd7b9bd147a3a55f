//! Serde adapters for fields of generated types.
//!
//! Tencent Cloud documents integers as JSON numbers, yet its own examples and some services send
//! them as strings (`"Force": "1"`). The integer adapters accept both on input and always write
//! numbers. Use them as
//! `#[serde(default, with = "tencentcloud_runtime::serde_helpers::option_int64")]`, so that an
//! absent field becomes `None`.
//!
//! Answers also send `null` for lists documented as always present; [`null_as_empty`] reads it
//! (and, with `#[serde(default)]`, an absent list) as an empty one.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
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

/// Reads `null` as the empty value (an empty list), anything else as `T` itself. Use as
/// `#[serde(default, deserialize_with = "tencentcloud_runtime::serde_helpers::null_as_empty")]`.
pub fn null_as_empty<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
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
        let from_numbers = parse(json!({"Limit": -5, "Count": 7}));
        let from_strings = parse(json!({"Limit": "-5", "Count": "7"}));
        let expected = Sample {
            limit: Some(-5),
            count: Some(7),
        };
        assert_eq!(from_numbers.unwrap(), expected);
        assert_eq!(from_strings.unwrap(), expected);
    }

    #[test]
    fn integers_are_always_written_as_numbers() {
        let sample = Sample {
            limit: None,
            count: Some(u64::MAX),
        };
        assert_eq!(
            serde_json::to_value(&sample).unwrap(),
            json!({"Count": u64::MAX})
        );
        let sample = Sample {
            limit: Some(-1),
            count: None,
        };
        assert_eq!(
            serde_json::to_value(&sample).unwrap(),
            json!({"Limit": -1, "Count": null})
        );
    }

    #[test]
    fn absent_or_null_optional_integers_are_none() {
        let s = parse(json!({"Limit": null})).unwrap();
        assert_eq!(s.limit, None);
        assert_eq!(s.count, None);
    }

    #[derive(Debug, Deserialize)]
    struct Listing {
        #[serde(rename = "Items", default, deserialize_with = "super::null_as_empty")]
        items: Vec<String>,
    }

    #[test]
    fn a_list_sent_as_null_or_left_out_reads_as_empty() {
        for answer in [json!({"Items": null}), json!({})] {
            let listing: Listing = serde_json::from_value(answer.clone()).unwrap();
            assert!(listing.items.is_empty(), "{answer}");
        }
        let listing: Listing = serde_json::from_value(json!({"Items": ["a"]})).unwrap();
        assert_eq!(listing.items, ["a"]);
        let err = serde_json::from_value::<Listing>(json!({"Items": 3})).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn integral_floats_are_accepted_but_fractions_rejected() {
        assert_eq!(parse(json!({"Limit": 2.0})).unwrap().limit, Some(2));
        let err = parse(json!({"Limit": 2.5})).unwrap_err();
        assert!(err.to_string().contains("2.5"), "{err}");
    }

    #[test]
    fn non_numeric_and_out_of_range_values_are_rejected_with_the_value() {
        let err = parse(json!({"Limit": "one"})).unwrap_err();
        assert!(err.to_string().contains("\"one\""), "{err}");
        let err = parse(json!({"Count": -1})).unwrap_err();
        assert!(err.to_string().contains("-1 is out of range"), "{err}");
        let err = parse(json!({"Limit": u64::MAX})).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
        let err = parse(json!({"Limit": " 1"})).unwrap_err();
        assert!(err.to_string().contains("\" 1\""), "{err}");
        let err = parse(json!({"Limit": true})).unwrap_err();
        assert!(err.to_string().contains("numeric string"), "{err}");
    }
}
