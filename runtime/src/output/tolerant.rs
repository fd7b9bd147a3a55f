//! A serde `Deserializer` over a parsed answer that reads members the way the runtime docs
//! promise ("Answers that drift from their documentation"), so that generated output types
//! read drifted answers without code of their own.
//!
//! Where a value still cannot be read, the error carries where it is (`Failure::path`), so
//! that the caller can take that one member out and read the rest.

use std::cell::RefCell;
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A documented tolerance, counted each time a value is read by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A number sent as a numeric string (`"147286"`, `"5000.00"`).
    NumberFromString,
    /// A boolean sent as `"true"`, `"True"`, `"false"` or `"False"`.
    BoolFromString,
    /// A boolean sent as `0` or `1`.
    BoolFromNumber,
    /// A string sent as a number or a boolean.
    StringFromScalar,
    /// `""` where an object or a list is documented: read as absent.
    EmptyStringAsAbsent,
    /// `null` where a value that cannot be `None` is documented: read as absent.
    NullAsAbsent,
    /// A member the documentation does not list: ignored.
    UnknownMember,
}

impl Rule {
    /// Every rule, in the order the docs list them.
    pub const ALL: [Rule; 7] = [
        Rule::NumberFromString,
        Rule::BoolFromString,
        Rule::BoolFromNumber,
        Rule::StringFromScalar,
        Rule::EmptyStringAsAbsent,
        Rule::NullAsAbsent,
        Rule::UnknownMember,
    ];

    /// What the rule reads, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::NumberFromString => "number from a numeric string",
            Rule::BoolFromString => "boolean from \"true\"/\"false\"",
            Rule::BoolFromNumber => "boolean from 0/1",
            Rule::StringFromScalar => "string from a number or boolean",
            Rule::EmptyStringAsAbsent => "\"\" for an object or list, read as absent",
            Rule::NullAsAbsent => "null for a value that cannot be null, read as absent",
            Rule::UnknownMember => "undocumented member, ignored",
        }
    }
}

/// How many values each rule read during one decode.
#[derive(Debug, Default)]
pub(crate) struct Tally(RefCell<[u64; Rule::ALL.len()]>);

impl Tally {
    pub(crate) fn count(&self, rule: Rule) {
        self.0.borrow_mut()[rule as usize] += 1;
    }

    /// Adds the counts of `other`.
    pub(crate) fn add(&self, other: &Tally) {
        let other = other.0.borrow();
        for (count, more) in self.0.borrow_mut().iter_mut().zip(other.iter()) {
            *count += more;
        }
    }

    pub(crate) fn counts(&self) -> Vec<(Rule, u64)> {
        let counts = self.0.borrow();
        Rule::ALL
            .iter()
            .map(|rule| (*rule, counts[*rule as usize]))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// One step from a value to a member inside it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    Member(String),
    Item(usize),
}

/// Where a value lies in the answer, as a chain of borrowed steps: building one costs nothing
/// until a failure turns it into [`Step`]s.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Member(&'p Path<'p>, &'p str),
    Item(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Member(parent, name) => {
                    steps.push(Step::Member((*name).to_owned()));
                    at = parent;
                }
                Path::Item(parent, index) => {
                    steps.push(Step::Item(*index));
                    at = parent;
                }
            }
        }
        steps.reverse();
        steps
    }
}

/// Why a value could not be read, and where.
#[derive(Debug)]
pub(crate) struct Failure {
    /// Where the value lies; `None` until the innermost value that knows its place sets it.
    pub(crate) path: Option<Vec<Step>>,
    pub(crate) reason: String,
    /// The value was `null` or `""` where nothing but absence can stand for it (by this rule):
    /// taking it out loses nothing.
    pub(crate) absent: Option<Rule>,
}

impl Failure {
    fn at(mut self, path: &Path<'_>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.steps());
        }
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Failure {
            path: None,
            reason: msg.to_string(),
            absent: None,
        }
    }
}

/// A JSON value's kind in words, for reasons.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a string".to_owned(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Reads `value` into whatever type asks for it, by the rules, counting each use in `tally`.
pub(crate) struct Tolerant<'de, 'p> {
    value: &'de Value,
    path: &'p Path<'p>,
    tally: &'p Tally,
}

/// Reads `T` from `value` by the rules.
pub(crate) fn read<'de, T: de::Deserialize<'de>>(
    value: &'de Value,
    tally: &Tally,
) -> Result<T, Failure> {
    T::deserialize(Tolerant {
        value,
        path: &Path::Root,
        tally,
    })
}

impl<'de> Tolerant<'de, '_> {
    fn locate<T>(&self, result: Result<T, Failure>) -> Result<T, Failure> {
        result.map_err(|failure| failure.at(self.path))
    }

    fn unreadable(&self, expected: &str) -> Failure {
        Failure {
            path: Some(self.path.steps()),
            reason: format!("expected {expected}, found {}", kind(self.value)),
            absent: None,
        }
    }

    fn absent(&self, rule: Rule) -> Failure {
        Failure {
            path: Some(self.path.steps()),
            reason: format!("{} stands for an absent value", kind(self.value)),
            absent: Some(rule),
        }
    }

    fn number<V: Visitor<'de>>(&self, number: &Number, visitor: V) -> Result<V::Value, Failure> {
        if let Some(n) = number.as_u64() {
            visitor.visit_u64(n)
        } else if let Some(n) = number.as_i64() {
            visitor.visit_i64(n)
        } else {
            visitor.visit_f64(number.as_f64().unwrap_or(f64::NAN))
        }
    }

    fn list<V: Visitor<'de>>(&self, items: &'de [Value], visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_seq(Items {
            items: items.iter().enumerate(),
            path: self.path,
            tally: self.tally,
        })
    }

    fn object<V: Visitor<'de>>(
        &self,
        members: &'de Map<String, Value>,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        visitor.visit_map(Members {
            members: members.iter(),
            value: None,
            fields,
            path: self.path,
            tally: self.tally,
        })
    }

    fn integer<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = match self.value {
            Value::Number(n) => self.number(n, visitor),
            Value::String(s) => {
                if let Ok(n) = s.parse::<u64>() {
                    self.tally.count(Rule::NumberFromString);
                    visitor.visit_u64(n)
                } else if let Ok(n) = s.parse::<i64>() {
                    self.tally.count(Rule::NumberFromString);
                    visitor.visit_i64(n)
                } else {
                    return Err(self.unreadable("an integer"));
                }
            }
            Value::Null => return Err(self.absent(Rule::NullAsAbsent)),
            _ => return Err(self.unreadable("an integer")),
        };
        self.locate(result)
    }

    fn float<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = match self.value {
            Value::Number(n) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => match s.parse::<f64>() {
                Ok(n) if n.is_finite() => {
                    self.tally.count(Rule::NumberFromString);
                    visitor.visit_f64(n)
                }
                _ => return Err(self.unreadable("a number")),
            },
            Value::Null => return Err(self.absent(Rule::NullAsAbsent)),
            _ => return Err(self.unreadable("a number")),
        };
        self.locate(result)
    }

    fn text<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Number(n) => {
                self.tally.count(Rule::StringFromScalar);
                visitor.visit_string(n.to_string())
            }
            Value::Bool(b) => {
                self.tally.count(Rule::StringFromScalar);
                visitor.visit_str(if *b { "true" } else { "false" })
            }
            Value::Null => return Err(self.absent(Rule::NullAsAbsent)),
            _ => return Err(self.unreadable("a string")),
        };
        self.locate(result)
    }

    /// An object or a list is wanted: `null` and `""` are absent, another scalar unreadable.
    fn not_a_container(self, expected: &str) -> Failure {
        match self.value {
            Value::Null => self.absent(Rule::NullAsAbsent),
            Value::String(s) if s.is_empty() => self.absent(Rule::EmptyStringAsAbsent),
            _ => self.unreadable(expected),
        }
    }
}

/// Trait methods that only say which reading applies: `reading: method method ...`.
macro_rules! read_as {
    ($($reading:ident: $($method:ident)*;)*) => {
        $($(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
            self.$reading(visitor)
        })*)*
    };
}

impl<'de> Deserializer<'de> for Tolerant<'de, '_> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => self.number(n, visitor),
            // Generated types ask for "any" value only through the integer adapters, which
            // read a numeric string themselves: that is the rule at work, so it is counted.
            Value::String(s) if s.parse::<i128>().is_ok() => {
                let read = visitor.visit_borrowed_str(s);
                if read.is_ok() {
                    self.tally.count(Rule::NumberFromString);
                }
                read
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.list(items, visitor),
            Value::Object(members) => self.object(members, None, visitor),
        };
        self.locate(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let value = match self.value {
            Value::Bool(b) => *b,
            Value::String(s) => match s.as_str() {
                "true" | "True" => true,
                "false" | "False" => false,
                _ => return Err(self.unreadable("a boolean")),
            },
            Value::Number(n) => match n.as_u64() {
                Some(n @ (0 | 1)) => {
                    self.tally.count(Rule::BoolFromNumber);
                    return self.locate(visitor.visit_bool(n == 1));
                }
                _ => return Err(self.unreadable("a boolean")),
            },
            Value::Null => return Err(self.absent(Rule::NullAsAbsent)),
            _ => return Err(self.unreadable("a boolean")),
        };
        if !self.value.is_boolean() {
            self.tally.count(Rule::BoolFromString);
        }
        self.locate(visitor.visit_bool(value))
    }

    read_as! {
        integer: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128;
        float: deserialize_f32 deserialize_f64;
        text: deserialize_char deserialize_str deserialize_string deserialize_bytes
            deserialize_byte_buf;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(Tolerant { ..self }),
        };
        self.locate(result)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let result = visitor.visit_unit();
        self.locate(result)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        let result = visitor.visit_newtype_struct(Tolerant { ..self });
        self.locate(result)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.value {
            Value::Array(items) => {
                let result = self.list(items, visitor);
                self.locate(result)
            }
            _ => Err(self.not_a_container("a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Failure> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.value {
            Value::Object(members) => {
                let result = self.object(members, None, visitor);
                self.locate(result)
            }
            _ => Err(self.not_a_container("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        match self.value {
            Value::Object(members) => {
                let result = self.object(members, Some(fields), visitor);
                self.locate(result)
            }
            _ => Err(self.not_a_container("an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        let result = match self.value {
            Value::String(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            _ => return Err(self.unreadable("the name of a variant")),
        };
        self.locate(result)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }
}

/// A list's items, each read by the rules at its index.
struct Items<'de, 'p, I: Iterator<Item = (usize, &'de Value)>> {
    items: I,
    path: &'p Path<'p>,
    tally: &'p Tally,
}

impl<'de, I: Iterator<Item = (usize, &'de Value)>> SeqAccess<'de> for Items<'de, '_, I> {
    type Error = Failure;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Failure> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Item(self.path, index);
        let item = Tolerant {
            value,
            path: &path,
            tally: self.tally,
        };
        let result = seed.deserialize(item).map(Some);
        result.map_err(|failure| failure.at(&path))
    }
}

/// An object's members, each read by the rules under its name; members the reading type does
/// not list (when it says which it lists) are counted as undocumented.
struct Members<'de, 'p> {
    members: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    fields: Option<&'static [&'static str]>,
    path: &'p Path<'p>,
    tally: &'p Tally,
}

impl<'de> MapAccess<'de> for Members<'de, '_> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Failure> {
        let Some((name, value)) = self.members.next() else {
            return Ok(None);
        };
        if self
            .fields
            .is_some_and(|fields| !fields.contains(&name.as_str()))
        {
            self.tally.count(Rule::UnknownMember);
        }
        self.value = Some((name, value));
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Failure> {
        let Some((name, value)) = self.value.take() else {
            return Err(de::Error::custom(
                "a member's value was asked for before its name",
            ));
        };
        let path = Path::Member(self.path, name);
        let member = Tolerant {
            value,
            path: &path,
            tally: self.tally,
        };
        seed.deserialize(member)
            .map_err(|failure| failure.at(&path))
    }
}
