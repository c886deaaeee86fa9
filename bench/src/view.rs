//! What the benchmark needs around the app's own view builder
//! (`telltale_core::browse::view_of`, the code behind `DataBrowser::view`): the span of a
//! decoded dataset and the number of points a view holds.

use telltale_core::browse::DataView;
use telltale_data::Dataset;

/// Points in all series and tracks of a view.
pub fn points(view: &DataView) -> usize {
    view.series.iter().map(|s| s.t.len()).sum::<usize>()
        + view.tracks.iter().map(|t| t.t.len()).sum::<usize>()
}

/// The first and last sample time over every block, or `None` for an empty dataset.
pub fn time_span(data: &Dataset) -> Option<(i64, i64)> {
    let blocks = data.devices.values().flat_map(|d| d.channels.values());
    blocks.fold(None, |span, block| {
        let (Some(&first), Some(&last)) = (block.t.first(), block.t.last()) else {
            return span;
        };
        Some(match span {
            None => (first, last),
            Some((lo, hi)) => (lo.min(first), hi.max(last)),
        })
    })
}
