//! Who may see and read what in the Riot dialect, the one place of these rules:
//!
//! - A user **can read a window** on a device they own, and a window granted to them or to
//!   one of their groups. Those are the windows `GET data_access_windows` lists.
//! - A user **may read a device** they own or that has a window granted to them.
//! - **Readable data** is the device's data within the windows the user can read (the
//!   owner too reads only what a window covers: deleting it hides the data).
//! - Only a device's **owner** creates and deletes its windows.
//! - A device that first pushes data over the device port has **no owner and no window**:
//!   nobody reads it until it is registered (`POST devices`) and given a window.
//!
//! Unlike the JSON dialect (whose owners read everything of their devices), Riot gates every
//! read by a window; the demo gives each owner one over the demo week (see
//! [`RiotState::new`]), so both dialects read the same races.

use super::error::{RiotError, RiotResult};
use super::state::{service_tag, RiotDevice, RiotState};
use crate::api::access::merge;
use crate::world::{DataAccessWindow, Recipient, World};

/// A device as `GET devices` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceView {
    pub id: u64,
    pub serial_number: String,
    pub name: String,
    pub service_tag: String,
    pub owner: Option<u64>,
}

/// What `POST devices` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registration {
    /// The serial was new: a device without sensors or data, owned by the caller.
    Created,
    /// The device had no owner; now the caller owns it.
    Claimed,
    /// The device has an owner already (the caller or someone else): nothing changed.
    Unchanged,
}

impl RiotState {
    /// Every device either side knows: the demo's, then the Riot-only ones.
    pub fn devices(&self, world: &World) -> Vec<DeviceView> {
        let mut all: Vec<DeviceView> = world
            .devices
            .iter()
            .map(|d| DeviceView {
                id: d.id,
                serial_number: d.serial_number.clone(),
                name: d.name.clone(),
                service_tag: d.service_tag.clone(),
                owner: Some(d.owner_id),
            })
            .collect();
        all.extend(self.lock().devices.iter().map(|d| DeviceView {
            id: d.id,
            serial_number: d.serial_number.clone(),
            name: d.name.clone(),
            service_tag: d.service_tag.clone(),
            owner: d.owner,
        }));
        all
    }

    /// The owner of a device; `None` for an unknown or unclaimed serial.
    pub fn owner_of(&self, world: &World, serial: &str) -> Option<u64> {
        match world.device_by_serial(serial) {
            Some(d) => Some(d.owner_id),
            None => self
                .lock()
                .devices
                .iter()
                .find(|d| d.serial_number == serial)
                .and_then(|d| d.owner),
        }
    }

    /// The windows `user` can read (see the module docs), in id order.
    pub fn readable_windows(&self, world: &World, user: u64) -> Vec<DataAccessWindow> {
        let owned: Vec<String> = self
            .devices(world)
            .into_iter()
            .filter(|d| d.owner == Some(user))
            .map(|d| d.serial_number)
            .collect();
        let mut windows: Vec<DataAccessWindow> = self
            .lock()
            .windows
            .iter()
            .filter(|w| {
                owned.contains(&w.device_serial_number)
                    || (w.read && world.window_grants_to(w, user))
            })
            .cloned()
            .collect();
        windows.sort_by_key(|w| w.id);
        windows
    }

    /// The devices `user` may read: owned, or with a window granted to them.
    pub fn readable_devices(&self, world: &World, user: u64) -> Vec<DeviceView> {
        let granted: Vec<String> = self
            .lock()
            .windows
            .iter()
            .filter(|w| w.read && world.window_grants_to(w, user))
            .map(|w| w.device_serial_number.clone())
            .collect();
        self.devices(world)
            .into_iter()
            .filter(|d| d.owner == Some(user) || granted.contains(&d.serial_number))
            .collect()
    }

    /// Sorted, disjoint intervals `[start, end]` (ms) of `serial`'s data that `user` may
    /// read within `[from, to]`: the readable windows, clipped. Empty: nothing readable.
    pub fn readable_within(
        &self,
        world: &World,
        user: u64,
        serial: &str,
        from: i64,
        to: i64,
    ) -> Vec<(i64, i64)> {
        let clipped = self
            .readable_windows(world, user)
            .into_iter()
            .filter(|w| w.device_serial_number == serial)
            .map(|w| (w.start_ms.max(from), w.end_ms.min(to)))
            .filter(|(s, e)| s <= e)
            .collect();
        merge(clipped)
    }

    /// `POST devices`: registers `serial` for `user` (see [`Registration`]).
    pub fn register(&self, world: &World, user: u64, serial: &str, name: &str) -> Registration {
        if world.device_by_serial(serial).is_some() {
            return Registration::Unchanged;
        }
        let mut inner = self.lock();
        if let Some(device) = inner.devices.iter_mut().find(|d| d.serial_number == serial) {
            if device.owner.is_some() {
                return Registration::Unchanged;
            }
            device.owner = Some(user);
            if !name.is_empty() {
                device.name = name.to_string();
            }
            return Registration::Claimed;
        }
        let id = inner.next_device_id;
        inner.next_device_id += 1;
        inner.devices.push(RiotDevice {
            id,
            serial_number: serial.to_string(),
            name: if name.is_empty() { serial } else { name }.to_string(),
            service_tag: service_tag(serial),
            owner: Some(user),
        });
        Registration::Created
    }

    /// A device pushed data over the device port: a serial neither side knows becomes a
    /// device with no owner and no window, as on the real service (readable by nobody until
    /// someone registers it). `Ok(true)` when it was created; refused past
    /// [`super::pushed::MAX_DEVICES`] devices known only to the Riot side.
    pub fn device_connected(&self, world: &World, serial: &str) -> Result<bool, String> {
        if world.device_by_serial(serial).is_some() {
            return Ok(false);
        }
        let mut inner = self.lock();
        if inner.devices.iter().any(|d| d.serial_number == serial) {
            return Ok(false);
        }
        if inner.devices.len() >= super::pushed::MAX_DEVICES {
            return Err(format!(
                "This server knows {} devices already and takes no more",
                inner.devices.len()
            ));
        }
        let id = inner.next_device_id;
        inner.next_device_id += 1;
        inner.devices.push(RiotDevice {
            id,
            serial_number: serial.to_string(),
            name: serial.to_string(),
            service_tag: service_tag(serial),
            owner: None,
        });
        Ok(true)
    }

    /// `POST data_access_windows`: a window over `[start, end]` that grants the owner.
    pub fn add_window(
        &self,
        world: &World,
        user: u64,
        serial: &str,
        start_ms: i64,
        end_ms: i64,
    ) -> RiotResult<DataAccessWindow> {
        if self.owner_of(world, serial) != Some(user) {
            return Err(not_owner(serial));
        }
        let mut inner = self.lock();
        let window = DataAccessWindow {
            id: inner.next_window_id,
            device_serial_number: serial.to_string(),
            start_ms,
            end_ms,
            recipient: Recipient::User(user),
            read: true,
            modify: true,
        };
        inner.next_window_id += 1;
        inner.windows.push(window.clone());
        Ok(window)
    }

    /// `DELETE data_access_windows/{id}`: only the device's owner may.
    pub fn delete_window(&self, world: &World, user: u64, id: u64) -> RiotResult<()> {
        let serial = self
            .lock()
            .windows
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.device_serial_number.clone())
            .ok_or_else(|| RiotError::NotFound(format!("No data access window {id}")))?;
        if self.owner_of(world, &serial) != Some(user) {
            return Err(not_owner(&serial));
        }
        self.lock().windows.retain(|w| w.id != id);
        Ok(())
    }
}

/// Unknown serials get the same answer as others' devices, so it tells nothing of them.
fn not_owner(serial: &str) -> RiotError {
    RiotError::Forbidden(format!(
        "Only the owner of device {serial} may change its data access windows"
    ))
}
