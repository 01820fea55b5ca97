//! Every snapshot of `codegen/tests/snapshots/*/expected.rs`, compiled.
//! (`codegen/tests/snapshots.rs` checks that none is missing here.)

/// Object, array and opaque bodies; header and integer path parameters.
pub mod bodies {
    include!("../../codegen/tests/snapshots/bodies/expected.rs");
}

/// Several error codes, dotted codes, a code named like the fallback.
pub mod errors {
    include!("../../codegen/tests/snapshots/errors/expected.rs");
}

/// Paginator, maps, keywords and names starting with digits.
pub mod listing {
    include!("../../codegen/tests/snapshots/listing/expected.rs");
}

/// The seed page, exactly as published.
pub mod seed {
    include!("../../codegen/tests/snapshots/seed/expected.rs");
}

/// RPC: nested list parameters, a shrink map, response wrappers, numbered
/// and token paginators, overrides of the traits, endpoint exceptions.
pub mod rpc {
    include!("../../codegen/tests/snapshots/rpc/expected.rs");
}
