//! Brings decoded columns into the model's invariants: every column as long as `t`, `t`
//! strictly ascending.

use crate::model::Block;

/// Builds a block from decoded times and columns (index `i` is the API's `"i+1"`; `None` for
/// a column the body left out): missing columns become NaN, each column is cut or padded to
/// the length of `t`, and the samples are put in time order without repeated times.
pub(super) fn block(t: Vec<i64>, columns: Vec<Option<Vec<f64>>>) -> Block {
    let n = t.len();
    let fields = columns
        .into_iter()
        .map(|column| {
            let mut column = column.unwrap_or_default();
            column.resize(n, f64::NAN);
            column
        })
        .collect();
    let mut block = Block { t, fields };
    order(&mut block);
    block
}

/// Adds the samples of `extra` (the same key appearing twice for one device, or a Riot
/// message's samples of a block already held) to `into`.
pub(crate) fn absorb(into: &mut Block, extra: Block) {
    let width = into.fields.len().max(extra.fields.len());
    let held = into.t.len();
    into.fields.resize_with(width, || vec![f64::NAN; held]);
    into.t.extend_from_slice(&extra.t);
    let total = into.t.len();
    let mut extra_fields = extra.fields.into_iter();
    for column in &mut into.fields {
        if let Some(more) = extra_fields.next() {
            column.extend_from_slice(&more);
        }
        column.resize(total, f64::NAN);
    }
    order(into);
}

/// Sorts a block by time (stably) and drops repeated times, keeping the first.
///
/// Unsorted blocks are sorted as `(time, index)` pairs: contiguous, so the comparisons do
/// not reach into `t` at random, and with the standard library's stable sort, which finds
/// ascending runs (a Riot answer's shuffled messages make a handful per block) and merges
/// them. Measured on the Riot week of the benchmark (bench/README.md): 8 % of the decode's
/// profile, against 9 % for sorting indices by `t[i]` and 12 % for a k-way merge of the
/// runs with a binary heap.
pub(crate) fn order(block: &mut Block) {
    if block.t.windows(2).all(|w| w[0] < w[1]) {
        return;
    }
    let t = &block.t;
    let (times, picks): (Vec<i64>, Vec<usize>) = if t.windows(2).all(|w| w[0] <= w[1]) {
        let mut picks: Vec<usize> = (0..t.len()).collect();
        picks.dedup_by_key(|i| t[*i]);
        (picks.iter().map(|&i| t[i]).collect(), picks)
    } else {
        let mut pairs: Vec<(i64, usize)> = t.iter().copied().zip(0..).collect();
        // The indices make every pair distinct: equal times stay in arrival order.
        pairs.sort();
        pairs.dedup_by_key(|(t, _)| *t);
        pairs.into_iter().unzip()
    };
    block.t = times;
    for column in &mut block.fields {
        *column = picks.iter().map(|&i| column[i]).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_and_keeps_the_first_of_repeated_times() {
        let b = block(
            vec![30, 10, 20, 10, 30],
            vec![Some(vec![3.0, 1.0, 2.0, 1.5, 3.5])],
        );
        assert_eq!(b.t, vec![10, 20, 30]);
        assert_eq!(b.fields, vec![vec![1.0, 2.0, 3.0]]);
    }

    #[test]
    fn interleaved_runs_and_many_short_runs_keep_the_first() {
        // Seven interleaved runs with repeats, within a run and across runs.
        let mut t = Vec::new();
        for run in 0..7i64 {
            t.extend((0..50).map(|i| (i * 7 + run) / 2));
        }
        let values: Vec<f64> = (0..t.len()).map(|i| i as f64).collect();
        let merged = block(t.clone(), vec![Some(values)]);
        let mut expected: Vec<(i64, f64)> = Vec::new();
        for (i, &time) in t.iter().enumerate() {
            if !expected.iter().any(|(e, _)| *e == time) {
                expected.push((time, i as f64));
            }
        }
        expected.sort_by_key(|(time, _)| *time);
        assert_eq!(
            merged.t,
            expected.iter().map(|(t, _)| *t).collect::<Vec<_>>()
        );
        assert_eq!(
            merged.fields[0],
            expected.iter().map(|(_, v)| *v).collect::<Vec<_>>()
        );
        // Many short runs: the sort.
        let many: Vec<i64> = (0..400).map(|i| (i * 7919) % 200).collect();
        let sorted = block(many.clone(), vec![Some((0..400).map(f64::from).collect())]);
        assert_eq!(sorted.t, (0..200).collect::<Vec<_>>());
        for (time, value) in sorted.t.iter().zip(&sorted.fields[0]) {
            let first = many.iter().position(|m| m == time).unwrap();
            assert_eq!(*value, first as f64);
        }
    }

    #[test]
    fn absorbs_a_repeated_key_with_more_columns() {
        let mut a = block(vec![1, 3], vec![Some(vec![1.0, 3.0])]);
        absorb(
            &mut a,
            block(vec![2], vec![Some(vec![2.0]), Some(vec![20.0])]),
        );
        assert_eq!(a.t, vec![1, 2, 3]);
        assert_eq!(a.fields[0], vec![1.0, 2.0, 3.0]);
        assert!(a.fields[1][0].is_nan() && a.fields[1][2].is_nan());
        assert_eq!(a.fields[1][1], 20.0);
    }
}
