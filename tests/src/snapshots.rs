//! Every snapshot of `codegen/tests/snapshots/*/expected.rs`, compiled.
//! (`codegen/tests/snapshots.rs` checks that none is missing here.)
#![allow(missing_docs)]

pub mod seed {
    include!("../../codegen/tests/snapshots/seed/expected.rs");
}
