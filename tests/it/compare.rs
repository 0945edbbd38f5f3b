//! Property tests of the comparison: symmetry, self and superset agreement, tolerance
//! monotonicity, parts and wholes.

use claimcheck::compare::{conflict, part_exceeds_whole, Span};
use claimcheck::number::Qualifier;
use proptest::prelude::*;

fn qualifier() -> impl Strategy<Value = Qualifier> {
    prop_oneof![
        Just(Qualifier::Exact),
        Just(Qualifier::About),
        Just(Qualifier::Nearly),
        Just(Qualifier::AtLeast),
        Just(Qualifier::MoreThan),
        Just(Qualifier::AtMost),
        Just(Qualifier::LessThan),
        Just(Qualifier::Range),
        Just(Qualifier::Vague),
    ]
}

/// An interval as claimcheck builds them: bounded below by zero, maybe open above.
fn span() -> impl Strategy<Value = Span> {
    (0u32..1_000_000, 0u32..1_000_000, any::<bool>(), qualifier()).prop_map(|(a, b, open, q)| {
        let (lo, hi) = (a.min(b) as f64, a.max(b) as f64);
        Span::of(Some(lo), if open { None } else { Some(hi) }, q)
    })
}

proptest! {
    #[test]
    fn conflict_is_symmetric(a in span(), b in span(), tol in 0.0f64..0.5) {
        prop_assert_eq!(conflict(a, b, tol), conflict(b, a, tol));
    }

    #[test]
    fn an_interval_never_conflicts_with_itself(a in span(), tol in 0.0f64..0.5) {
        prop_assert!(conflict(a, a, tol).is_none());
    }

    #[test]
    fn an_interval_never_conflicts_with_a_superset(a in span(), grow_lo in 0.0f64..1000.0, grow_hi in 0.0f64..1000.0, tol in 0.0f64..0.5) {
        let sup = Span { lo: (a.lo - grow_lo).max(0.0), hi: a.hi + grow_hi, vague: false };
        prop_assert!(conflict(a, sup, tol).is_none());
    }

    #[test]
    fn more_tolerance_never_creates_a_conflict(a in span(), b in span(), t1 in 0.0f64..0.5, t2 in 0.0f64..0.5) {
        let (lo, hi) = if t1 <= t2 { (t1, t2) } else { (t2, t1) };
        if conflict(a, b, lo).is_none() {
            prop_assert!(conflict(a, b, hi).is_none());
        }
    }

    #[test]
    fn severity_is_at_least_one(a in span(), b in span()) {
        if let Some(s) = conflict(a, b, 0.0) {
            prop_assert!(s >= 1.0, "{s}");
        }
    }

    #[test]
    fn a_part_within_its_whole_never_conflicts(whole in 1u32..1_000_000, frac in 0.0f64..=1.0) {
        let w = Span::of(Some(whole as f64), Some(whole as f64), Qualifier::Exact);
        let p = (whole as f64 * frac).floor();
        prop_assert!(part_exceeds_whole(Span::of(Some(p), Some(p), Qualifier::Exact), w, 0.0).is_none());
    }

    #[test]
    fn a_part_larger_than_its_whole_conflicts(whole in 1u32..1_000_000, extra in 1u32..1000) {
        let w = Span::of(Some(whole as f64), Some(whole as f64), Qualifier::Exact);
        let p = (whole + extra) as f64 * 1.2;
        prop_assert!(part_exceeds_whole(Span::of(Some(p), Some(p), Qualifier::Exact), w, 0.05).is_some());
    }
}

#[test]
fn a_vague_lower_bound_does_not_cap_a_larger_figure() {
    let thousands = Span::of(Some(1000.0), Some(9999.0), Qualifier::Vague);
    let nearly_100k = Span::of(Some(90000.0), Some(100000.0), Qualifier::Nearly);
    assert!(conflict(thousands, nearly_100k, 0.05).is_none());
    // but a figure below it does conflict
    let forty = Span::of(Some(40.0), Some(40.0), Qualifier::Exact);
    assert!(conflict(thousands, forty, 0.05).is_some());
}
