//! Device data, generated on demand one resource at a time and kept in a bounded cache, so
//! start-up costs nothing and repeated reads are cheap.

use super::track::{self, Chunk};
use crate::world::{Device, Resource, TypeKey, World};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

/// Resources kept in memory at once (a boat-day is about 2 MB, a buoy-day about 10 MB).
const CACHE_CAPACITY: usize = 64;

/// One channel's samples: timestamps (ms, float as Igtimi sends them) and one value column
/// per field (`fields[0]` is field "1").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub t: Vec<f64>,
    pub fields: Vec<Vec<f64>>,
}

impl Series {
    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }
}

type Cell = Arc<OnceLock<Arc<Chunk>>>;

#[derive(Default)]
struct Cache {
    cells: HashMap<u64, Cell>,
    order: VecDeque<u64>,
}

/// Lazily generated data of every device in the world.
pub struct DataStore {
    devices: HashMap<String, Device>,
    resources: HashMap<String, Vec<Resource>>,
    cache: Mutex<Cache>,
}

impl DataStore {
    pub fn new(world: &World) -> Self {
        let mut resources: HashMap<String, Vec<Resource>> = HashMap::new();
        for r in &world.resources {
            resources
                .entry(r.device_serial_number.clone())
                .or_default()
                .push(r.clone());
        }
        for list in resources.values_mut() {
            list.sort_by_key(|r| r.start_ms);
        }
        DataStore {
            devices: world
                .devices
                .iter()
                .map(|d| (d.serial_number.clone(), d.clone()))
                .collect(),
            resources,
            cache: Mutex::new(Cache::default()),
        }
    }

    fn chunk(&self, device: &Device, resource: &Resource) -> Arc<Chunk> {
        let cell = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if !cache.cells.contains_key(&resource.id) {
                while cache.order.len() >= CACHE_CAPACITY {
                    if let Some(old) = cache.order.pop_front() {
                        cache.cells.remove(&old);
                    }
                }
                cache.order.push_back(resource.id);
            }
            cache.cells.entry(resource.id).or_default().clone()
        };
        cell.get_or_init(|| Arc::new(track::generate(device, resource.start_ms, resource.end_ms)))
            .clone()
    }

    /// Samples of one channel of one device with `from_ms <= t <= to_ms`, in time order,
    /// across the device's resources. Empty when the device does not record that channel.
    /// CPU-bound on a cache miss: call it from a blocking task.
    pub fn series(&self, serial: &str, key: TypeKey, from_ms: i64, to_ms: i64) -> Series {
        let mut out = Series::default();
        let (Some(device), Some(resources)) =
            (self.devices.get(serial), self.resources.get(serial))
        else {
            return out;
        };
        if !device.sensors.contains(&key) {
            return out;
        }
        for resource in resources {
            if resource.end_ms < from_ms || resource.start_ms > to_ms {
                continue;
            }
            let chunk = self.chunk(device, resource);
            let Some(columns) = chunk.channels.get(&key) else {
                continue;
            };
            let lo = chunk.t.partition_point(|&t| t < from_ms as f64);
            let hi = chunk.t.partition_point(|&t| t <= to_ms as f64);
            if lo >= hi {
                continue;
            }
            out.t.extend_from_slice(&chunk.t[lo..hi]);
            if out.fields.len() < columns.len() {
                out.fields.resize(columns.len(), Vec::new());
            }
            for (field, column) in out.fields.iter_mut().zip(columns) {
                field.extend_from_slice(&column[lo..hi]);
            }
        }
        out
    }

    /// The last sample of a channel at or before `at_ms` and not before `not_before_ms`.
    pub fn latest(
        &self,
        serial: &str,
        key: TypeKey,
        not_before_ms: i64,
        at_ms: i64,
    ) -> Option<(f64, Vec<f64>)> {
        let resources = self.resources.get(serial)?;
        // Only the newest resource that overlaps the range needs generating.
        let resource = resources
            .iter()
            .rev()
            .find(|r| r.start_ms <= at_ms && r.end_ms >= not_before_ms)?;
        let from = resource.start_ms.max(not_before_ms);
        let to = resource.end_ms.min(at_ms);
        let series = self.series(serial, key, from, to);
        let last = series.len().checked_sub(1)?;
        Some((
            series.t[last],
            series.fields.iter().map(|f| f[last]).collect(),
        ))
    }

    /// The channels a device records (empty for a serial the store does not know).
    pub fn sensors(&self, serial: &str) -> &[TypeKey] {
        self.devices
            .get(serial)
            .map(|d| d.sensors.as_slice())
            .unwrap_or(&[])
    }

    /// The device's resources, in time order.
    pub fn resources_of(&self, serial: &str) -> &[Resource] {
        self.resources.get(serial).map(Vec::as_slice).unwrap_or(&[])
    }
}
