//! The emulator as a user sees it: over HTTP, signed by the runtime client or by hand.

#[path = "emulator/admin_http.rs"]
mod admin_http;
#[path = "emulator/check_order.rs"]
mod check_order;
#[path = "emulator/documented_codes.rs"]
mod documented_codes;
#[path = "emulator/faults.rs"]
mod faults;
#[path = "emulator/hostile.rs"]
mod hostile;
#[path = "emulator/idempotency.rs"]
mod idempotency;
#[path = "emulator/secrets.rs"]
mod secrets;
#[path = "emulator/signature.rs"]
mod signature;
#[path = "emulator/specs_folder.rs"]
mod specs_folder;
#[path = "emulator/state_rules.rs"]
mod state_rules;
#[path = "emulator/streams.rs"]
mod streams;
#[path = "emulator/support.rs"]
mod support;
#[path = "emulator/tc3.rs"]
mod tc3;
#[path = "emulator/validation.rs"]
mod validation;
#[path = "emulator/whole_services.rs"]
mod whole_services;
