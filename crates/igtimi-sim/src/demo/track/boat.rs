//! A J/70-sized boat sailing windward-leeward laps: close-hauled upwind with tacks on the
//! laylines or every few minutes, running deep downwind with gybes, rounding the marks, and
//! a crew whose hearts race in every manoeuvre.

use super::geo::{norm180, norm360, unit_vector, KNOT};
use super::noise::{derive, smooth, Draws};
use super::plan::{Character, DayPlan};
use super::polar::target_speed;
use super::wind::{current_at, wind_at};
use super::{Heart, Truth};
use crate::world::Device;

/// Farthest a boat strays across the course axis before it turns back regardless.
const MAX_CROSS_M: f64 = 900.0;
/// A mark counts as reached this close, or once it is abeam along the leg.
const MARK_ZONE_M: f64 = 20.0;
/// How long the crew keeps working hard after a manoeuvre, seconds.
const GRINDING_S: f64 = 8.0;
/// Share of the target speed a tack gives up at its middle.
const TACK_LOSS: f64 = 0.5;
/// Share of the target speed a gybe gives up at its middle.
const GYBE_LOSS: f64 = 0.15;
/// Shortest time between two manoeuvres (except at a mark), seconds.
const MIN_BETWEEN_TURNS_S: f64 = 20.0;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Leg {
    Upwind,
    Downwind,
}

/// A change of true wind angle under way: tack, gybe, rounding, or bearing away at the
/// start.
#[derive(Clone, Copy, Debug)]
struct Turn {
    from: f64,
    to: f64,
    elapsed: f64,
    duration: f64,
    then: Leg,
    /// Share of the speed lost at the middle of the turn, for tacks and gybes, where the
    /// boat carries its way through angles it could not sail; 0 for turns the polar covers.
    loss: f64,
}

impl Turn {
    fn angle(&self) -> f64 {
        let p = (self.elapsed / self.duration).clamp(0.0, 1.0);
        let ease = (1.0 - (std::f64::consts::PI * p).cos()) / 2.0;
        self.from + (self.to - self.from) * ease
    }

    /// Target speed through the water (before the boat's own factor) in `tws` at `twa`.
    fn target_speed(&self, tws: f64, twa: f64) -> f64 {
        if self.loss > 0.0 {
            let p = (self.elapsed / self.duration).clamp(0.0, 1.0);
            target_speed(tws, norm180(self.to))
                * (1.0 - self.loss * (std::f64::consts::PI * p).sin())
        } else {
            target_speed(tws, twa)
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Mode {
    /// Head to wind at the start area, waiting for the start.
    Waiting,
    Sailing(Leg),
    Turning(Turn),
}

/// A tack or a gybe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnKind {
    Tack,
    Gybe,
}

/// A tack or gybe as the model sails it, the ground truth for maneuver detectors: the
/// heading starts to swing at `start_ms` and settles on the new side by `end_ms`. Mark
/// roundings (bearing away, heading up on the same side) are no tacks or gybes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedTurn {
    pub kind: TurnKind,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// The running simulation of one boat through one day.
struct Run<'a> {
    crew: &'a Character,
    plan: &'a DayPlan,
    east: f64,
    north: f64,
    stw: f64,
    /// +1 on starboard (wind over the starboard side), -1 on port.
    side: f64,
    mode: Mode,
    since_turn: f64,
    turn_after: f64,
    bpm: f64,
    /// Seconds of hard work left after a manoeuvre (trimming, grinding).
    grinding: f64,
    beat_phase: f64,
    last_beat_ms: i64,
    draws: Draws,
    /// The tacks and gybes begun so far.
    turns: Vec<PlannedTurn>,
}

/// The true state of a boat each second of `lo..=hi` (Unix ms, whole seconds, within UTC
/// day `day` or the first second after it). Before power-on it waits at its start spot.
pub fn truths(device: &Device, day: i64, lo: i64, hi: i64) -> Vec<Truth> {
    let crew = Character::of(device.seed);
    let plan = DayPlan::of(device.seed, day);
    let mut out = Vec::with_capacity(usize::try_from((hi - lo) / 1000 + 1).unwrap_or(0));
    let mut t = lo;
    while t <= hi && t < plan.power_on_ms {
        out.push(waiting(&crew, &plan, t));
        t += 1000;
    }
    if t > hi {
        return out;
    }
    let mut run = Run::new(&crew, &plan);
    let mut now = plan.power_on_ms;
    while now <= hi {
        let truth = run.step(now);
        if now >= lo {
            out.push(truth);
        }
        now += 1000;
    }
    out
}

/// The tacks and gybes the boat of `device` begins within `lo..=hi` (Unix ms, within UTC
/// day `day`), in order.
#[cfg(feature = "testing")]
pub fn planned_turns(device: &Device, day: i64, lo: i64, hi: i64) -> Vec<PlannedTurn> {
    let crew = Character::of(device.seed);
    let plan = DayPlan::of(device.seed, day);
    let mut run = Run::new(&crew, &plan);
    let mut now = plan.power_on_ms;
    while now <= hi {
        run.step(now);
        now += 1000;
    }
    run.turns
        .retain(|turn| turn.start_ms >= lo && turn.start_ms <= hi);
    run.turns
}

/// Head-to-wind yaw while waiting, degrees.
fn yaw(crew: &Character, t_ms: i64) -> f64 {
    3.0 * smooth(derive(crew.seed, 0x7A3), t_ms as f64 / 9_000.0)
}

/// The boat before power-on: tied to the start area, resting.
fn waiting(crew: &Character, plan: &DayPlan, t_ms: i64) -> Truth {
    let wind = wind_at(t_ms);
    Truth {
        t_ms,
        east: plan.spot.0,
        north: plan.spot.1,
        v_east: 0.0,
        v_north: 0.0,
        heading: norm360(wind.twd - yaw(crew, t_ms)),
        stw: 0.0,
        wind,
        heart: Heart {
            bpm: crew.hr_rest,
            beats: 0,
            last_beat_ms: t_ms,
        },
        battery: plan.battery(t_ms),
    }
}

impl<'a> Run<'a> {
    fn new(crew: &'a Character, plan: &'a DayPlan) -> Self {
        let mut draws = Draws::new(derive(crew.seed, plan.power_on_ms as u64));
        let turn_after = draws.between(crew.turn_after.0, crew.turn_after.1);
        Run {
            crew,
            plan,
            east: plan.spot.0,
            north: plan.spot.1,
            stw: 0.0,
            side: plan.first_side,
            mode: Mode::Waiting,
            since_turn: 0.0,
            turn_after,
            bpm: crew.hr_rest,
            grinding: 0.0,
            beat_phase: 0.0,
            last_beat_ms: plan.power_on_ms,
            draws,
            turns: Vec::new(),
        }
    }

    fn target_twa(&self, leg: Leg) -> f64 {
        match leg {
            Leg::Upwind => self.crew.upwind_twa,
            Leg::Downwind => self.crew.downwind_twa,
        }
    }

    /// The state at `t_ms`, then one second of motion.
    fn step(&mut self, t_ms: i64) -> Truth {
        let wind = wind_at(t_ms);
        let sec = t_ms as f64 / 1000.0;
        let twa = match self.mode {
            Mode::Waiting => yaw(self.crew, t_ms),
            Mode::Sailing(leg) => {
                let helm = 1.0 * smooth(derive(self.crew.seed, 0x4E1), sec / 8.0);
                self.side * self.target_twa(leg) + helm
            }
            Mode::Turning(turn) => turn.angle(),
        };
        let twa = norm180(twa);
        let heading = norm360(wind.twd - twa);
        let (v_east, v_north) = match self.mode {
            Mode::Waiting => (0.0, 0.0),
            _ => {
                let track = heading - self.crew.leeway(twa, self.stw);
                let (e, n) = unit_vector(track);
                let (ce, cn) = current_at(t_ms);
                (self.stw * KNOT * e + ce, self.stw * KNOT * n + cn)
            }
        };
        let truth = Truth {
            t_ms,
            east: self.east,
            north: self.north,
            v_east,
            v_north,
            heading,
            stw: self.stw,
            wind,
            heart: Heart {
                bpm: self.bpm,
                beats: self.beat_phase.floor() as u64,
                last_beat_ms: self.last_beat_ms,
            },
            battery: self.plan.battery(t_ms),
        };

        self.east += v_east;
        self.north += v_north;
        let target = self.crew.speed_factor
            * match self.mode {
                Mode::Waiting => 0.0,
                Mode::Sailing(_) => target_speed(wind.tws, twa),
                Mode::Turning(turn) => turn.target_speed(wind.tws, twa),
            };
        let tau: f64 = if target > self.stw { 6.0 } else { 4.0 };
        self.stw += (target - self.stw) * (1.0 - (-1.0 / tau).exp());
        self.beat(t_ms, sec);
        self.decide(t_ms, wind.twd, twa);
        truth
    }

    /// One second of the crew's heart: beats counted, then the rate follows the effort.
    fn beat(&mut self, t_ms: i64, sec: f64) {
        let per_second = self.bpm / 60.0;
        let before = self.beat_phase;
        self.beat_phase += per_second;
        let counted = self.beat_phase.floor();
        if counted > before.floor() {
            let into_second = (counted - before) / per_second;
            self.last_beat_ms = t_ms + (into_second * 1000.0).round() as i64;
        }
        let peak = self.crew.hr_peak - self.crew.hr_rest;
        let effort = match self.mode {
            Mode::Turning(_) => peak,
            _ if self.grinding > 0.0 => peak,
            Mode::Waiting => 0.0,
            Mode::Sailing(Leg::Upwind) => 16.0,
            Mode::Sailing(Leg::Downwind) => 8.0,
        };
        self.grinding = (self.grinding - 1.0).max(0.0);
        let target =
            self.crew.hr_rest + effort + 4.0 * smooth(derive(self.crew.seed, 0x4B7), sec / 120.0);
        let tau: f64 = if target > self.bpm { 8.0 } else { 35.0 };
        self.bpm += (target - self.bpm) * (1.0 - (-1.0 / tau).exp());
    }

    fn start_turn(&mut self, from: f64, to: f64, duration: f64, then: Leg, loss: f64) {
        self.mode = Mode::Turning(Turn {
            from,
            to,
            loss,
            elapsed: 0.0,
            duration,
            then,
        });
    }

    /// After moving: finish a manoeuvre, or choose the next one.
    fn decide(&mut self, t_ms: i64, twd: f64, twa: f64) {
        self.since_turn += 1.0;
        match self.mode {
            Mode::Waiting => {
                if t_ms + 1000 >= self.plan.start_ms {
                    let to = self.plan.first_side * self.crew.upwind_twa;
                    self.start_turn(twa, to, 10.0, Leg::Upwind, 0.0);
                }
            }
            Mode::Turning(mut turn) => {
                turn.elapsed += 1.0;
                if turn.elapsed >= turn.duration {
                    self.side = norm180(turn.to).signum();
                    self.grinding = GRINDING_S;
                    self.mode = Mode::Sailing(turn.then);
                    self.since_turn = 0.0;
                    let (lo, hi) = self.crew.turn_after;
                    self.turn_after = self.draws.between(lo, hi);
                } else {
                    self.mode = Mode::Turning(turn);
                }
            }
            Mode::Sailing(leg) => self.choose(t_ms, leg, twd, twa),
        }
    }

    fn choose(&mut self, t_ms: i64, leg: Leg, twd: f64, twa: f64) {
        let (mark, leg_dir) = match leg {
            Leg::Upwind => (self.plan.windward, twd),
            Leg::Downwind => (self.plan.leeward, twd + 180.0),
        };
        let (de, dn) = (mark.0 - self.east, mark.1 - self.north);
        let (ue, un) = unit_vector(leg_dir);
        let along = de * ue + dn * un;
        if along < MARK_ZONE_M || de.hypot(dn) < MARK_ZONE_M {
            // Round the mark onto the next leg, on the same side.
            let (next, duration) = match leg {
                Leg::Upwind => (Leg::Downwind, 16.0),
                Leg::Downwind => (Leg::Upwind, 14.0),
            };
            let to = self.side * self.target_twa(next);
            self.start_turn(twa, to, duration, next, 0.0);
            return;
        }
        if self.since_turn < MIN_BETWEEN_TURNS_S {
            return;
        }
        // Where the mark bears from the leg direction, and where this tack heads from it.
        let beta = norm180(super::geo::bearing_of(de, dn) - leg_dir);
        let heads = match leg {
            Leg::Upwind => -self.side * self.crew.upwind_twa,
            Leg::Downwind => self.side * (180.0 - self.crew.downwind_twa),
        };
        let layline = heads.abs()
            + match leg {
                Leg::Upwind => 3.0,
                Leg::Downwind => 0.0,
            };
        let on_layline = -heads.signum() * beta >= layline;
        let (ae, an) = unit_vector(self.plan.axis + 90.0);
        let cross = self.east * ae + self.north * an;
        let (he, hn) = unit_vector(twd - twa);
        let drifting_out = cross.abs() > MAX_CROSS_M && (he * ae + hn * an) * cross > 0.0;
        let bored = self.since_turn >= self.turn_after && along > 250.0;
        if on_layline || drifting_out || bored {
            let (to, duration, loss) = match leg {
                Leg::Upwind => (
                    -self.side * self.crew.upwind_twa,
                    self.crew.tack_s + self.draws.between(-1.5, 1.5),
                    TACK_LOSS,
                ),
                Leg::Downwind => (
                    // Through dead downwind, not through the eye of the wind.
                    -self.side * self.crew.downwind_twa + self.side * 360.0,
                    self.crew.gybe_s + self.draws.between(-1.5, 1.5),
                    GYBE_LOSS,
                ),
            };
            let from = if leg == Leg::Downwind && twa.signum() != self.side {
                twa + self.side * 360.0
            } else {
                twa
            };
            let duration = duration.round();
            // The turn's first angle is sailed in the next second.
            let start_ms = t_ms + 1000;
            self.turns.push(PlannedTurn {
                kind: match leg {
                    Leg::Upwind => TurnKind::Tack,
                    Leg::Downwind => TurnKind::Gybe,
                },
                start_ms,
                end_ms: start_ms + (duration * 1000.0) as i64,
            });
            self.start_turn(from, to, duration, leg, loss);
        }
    }
}
