//! Igtimi sensor data in columns, without any I/O: decode `resources/data` answers (the
//! JSON API's, [`decode()`], and the Riot service's base64 protobuf messages, [`riot`]), merge
//! the windows a long fetch is split into, downsample for display, export GPX and CSV.

pub mod decode;
pub mod downsample;
pub mod export;
pub mod merge;
mod model;
pub mod plan;
pub mod riot;
pub mod time;
pub mod types;

pub use decode::{decode, DecodeError};
pub use model::{BadTypeKey, Block, Dataset, DeviceData, TypeKey};
