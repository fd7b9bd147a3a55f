//! The error enums of generated crates, declared from their codes alone: each code is written
//! once, as `Variant = "Code"`, and the enum, its decoding from a [`ServiceError`] and its
//! accessors follow from that one list.
//!
//! [`ServiceError`]: crate::ServiceError

/// Declares an error enum.
///
/// With `common = Path;` after the enum: a service's error, whose variants are its own codes,
/// then `Common` (the codes any action can return, as the enum at `Path`) and `Unhandled` (any
/// other code). Without it: the enum of the common codes, decoded by `from_service_error`.
#[doc(hidden)]
#[macro_export]
macro_rules! __tencentcloud_error_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$variant_attr:meta])* $variant:ident = $code:literal, )*
        }
        common = $common:path;
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_attr])* $variant($crate::ServiceError), )*
            /// A code every action can return: authentication, rate limits, malformed requests,
            /// internal errors.
            Common($common),
            /// A code this version of the SDK does not list here.
            Unhandled($crate::ServiceError),
        }

        impl ::core::convert::From<$crate::ServiceError> for $name {
            fn from(err: $crate::ServiceError) -> Self {
                match err.code() {
                    $( $code => Self::$variant(err), )*
                    _ => match <$common>::from_service_error(err) {
                        Ok(common) => Self::Common(common),
                        Err(err) => Self::Unhandled(err),
                    },
                }
            }
        }

        impl $crate::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::ServiceError {
                match self {
                    $( Self::$variant(err) )|* | Self::Unhandled(err) => err,
                    Self::Common(common) => $crate::ProvideErrorMetadata::meta(common),
                }
            }
        }

        $crate::__tencentcloud_error_enum!(@accessors $name);
    };
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$variant_attr:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_attr])* $variant($crate::ServiceError), )+
        }

        impl $name {
            /// The variant for `err`'s code, or `err` back when its code is not one of these.
            pub fn from_service_error(
                err: $crate::ServiceError,
            ) -> ::core::result::Result<Self, $crate::ServiceError> {
                Ok(match err.code() {
                    $( $code => Self::$variant(err), )+
                    _ => return Err(err),
                })
            }
        }

        impl $crate::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::ServiceError {
                match self {
                    $( Self::$variant(err) )|+ => err,
                }
            }
        }

        $crate::__tencentcloud_error_enum!(@accessors $name);
    };
    (@accessors $name:ident) => {
        impl $name {
            /// The error code, e.g. `InvalidParameterValue`.
            pub fn code(&self) -> &str {
                $crate::ProvideErrorMetadata::meta(self).code()
            }

            /// The message Tencent Cloud sent.
            pub fn message(&self) -> &str {
                $crate::ProvideErrorMetadata::meta(self).message()
            }

            /// The request id to quote to Tencent Cloud support.
            pub fn request_id(&self) -> &str {
                $crate::ProvideErrorMetadata::meta(self).request_id()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt($crate::ProvideErrorMetadata::meta(self), f)
            }
        }

        impl ::std::error::Error for $name {}
    };
}

#[cfg(test)]
mod tests {
    use crate::{ProvideErrorMetadata, ServiceError};

    crate::__tencentcloud_error_enum! {
        /// Codes any action can return.
        pub enum Common {
            /// `AuthFailure`.
            AuthFailure = "AuthFailure",
        }
    }

    crate::__tencentcloud_error_enum! {
        /// An action's error.
        pub enum ActionError {
            /// `ResourceNotFound.Instance`.
            ResourceNotFoundInstance = "ResourceNotFound.Instance",
            /// An upstream code named like the variant of the common codes.
            Common_ = "Common",
            /// An upstream code named like the catch-all.
            Unhandled_ = "Unhandled",
        }
        common = Common;
    }

    crate::__tencentcloud_error_enum! {
        /// An action that documents no code of its own.
        pub enum Undocumented {}
        common = Common;
    }

    fn error(code: &str) -> ServiceError {
        ServiceError::new(code, "a message", "req-1")
    }

    #[test]
    fn a_code_decodes_to_its_variant_then_common_then_unhandled() {
        let own = ActionError::from(error("ResourceNotFound.Instance"));
        assert!(matches!(own, ActionError::ResourceNotFoundInstance(_)));
        let common = ActionError::from(error("AuthFailure"));
        assert!(matches!(
            common,
            ActionError::Common(Common::AuthFailure(_))
        ));
        let other = ActionError::from(error("LimitExceeded.Quota"));
        assert!(matches!(other, ActionError::Unhandled(_)));
        assert!(matches!(
            ActionError::from(error("Common")),
            ActionError::Common_(_)
        ));
        assert!(matches!(
            ActionError::from(error("Unhandled")),
            ActionError::Unhandled_(_)
        ));
        assert!(matches!(
            Undocumented::from(error("AuthFailure")),
            Undocumented::Common(_)
        ));
        assert!(matches!(
            Undocumented::from(error("Other")),
            Undocumented::Unhandled(_)
        ));
    }

    #[test]
    fn every_variant_keeps_code_message_and_request_id() {
        for code in [
            "ResourceNotFound.Instance",
            "AuthFailure",
            "LimitExceeded.Quota",
        ] {
            let err = ActionError::from(error(code));
            assert_eq!(err.code(), code);
            assert_eq!(err.message(), "a message");
            assert_eq!(err.request_id(), "req-1");
            assert_eq!(err.to_string(), error(code).to_string());
            assert_eq!(err.meta(), &error(code));
        }
        let common = Common::from_service_error(error("AuthFailure")).unwrap();
        assert_eq!(
            (common.code(), common.message(), common.request_id()),
            ("AuthFailure", "a message", "req-1")
        );
        let undocumented = Undocumented::from(error("AuthFailure"));
        assert_eq!(
            (
                undocumented.code(),
                undocumented.message(),
                undocumented.request_id()
            ),
            ("AuthFailure", "a message", "req-1")
        );
        assert_eq!(undocumented.to_string(), error("AuthFailure").to_string());
        let other = Common::from_service_error(error("Other")).unwrap_err();
        assert_eq!(other.code(), "Other");
    }
}
