//! Route53's customisations.

use crate::value::{Scalar, StructValue, ValueRef};

/// The shapes whose values Route53's own outputs return with a path prefix
/// (`/hostedzone/Z1D633PJN98FT9`) but whose inputs take the bare id.
const ID_SHAPES: [&str; 3] = ["ResourceId", "DelegationSetId", "ChangeId"];

/// Keeps the part after the last `/` of every id member, so the id an output returned
/// (`/hostedzone/ID`, `/change/ID`) can be passed straight back, as botocore's
/// `fix_route53_ids` does.
pub(super) fn fix_ids(input: &mut dyn StructValue) {
    let schema = input.schema();
    for (index, member) in schema.members().iter().enumerate() {
        if !ID_SHAPES.contains(&member.target.name) {
            continue;
        }
        let Some(ValueRef::String(id)) = input.member(index).map(|v| v.get()) else {
            continue;
        };
        let Some((_, bare)) = id.rsplit_once('/') else {
            continue;
        };
        let bare = bare.to_string();
        if let Some(slot) = input.member_mut(index) {
            // The member is a string: it takes a string.
            let _ = slot.set(Scalar::String(bare));
        }
    }
}
