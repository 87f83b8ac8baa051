//! Which member devices this device dials: a bounded overlay, not a full
//! mesh. In a full mesh every edit is announced on every pair of devices,
//! so the bytes per edit grow with the square of the team's devices and a
//! heal after an outage makes every device sync every document with every
//! other one (see `docs/performance.md`, "Sync at scale").
//!
//! Instead the member devices stand on a ring, ordered by device id (public
//! keys, so in effect a random order every device computes alike). Each
//! device dials its first [`SUCCESSORS`] reachable successors and one
//! device about half-way round, keeps redialing those of them that are
//! away (with samod's backoff), and accepts every incoming connection.
//! Changes travel hop by hop (samod forwards what it receives to its other
//! peers), so each edit crosses every link once: O(devices) links and
//! bytes, and a path of about a quarter of the ring at worst.
//!
//! Skipping unreachable successors keeps the overlay connected on each
//! side of a partition; when it heals, the devices that come back dial
//! their successors and both sides join up. Up to four devices this is
//! everyone: a small office still has a full mesh.

use std::collections::BTreeSet;

/// How many reachable ring successors a device keeps connections to.
pub const SUCCESSORS: usize = 2;

/// What this device knows of a member device's reachability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A connection with it is open (whoever dialed).
    Connected,
    /// Not tried yet, or a dial is under way: taken as reachable.
    Untried,
    /// Our last dial to it failed and it has not connected since.
    Unreachable,
}

/// How a node picks the devices it dials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fanout {
    /// The bounded ring overlay (see the module doc).
    #[default]
    Ring,
    /// Every member device (the behaviour before the overlay; kept for
    /// comparison in `bureau bench peers --fanout mesh`).
    Mesh,
}

impl Fanout {
    /// Reads `ring` or `mesh` (the command line's `--fanout`).
    pub fn parse(text: &str) -> Result<Fanout, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ring" => Ok(Fanout::Ring),
            "mesh" => Ok(Fanout::Mesh),
            other => Err(format!("unknown fan-out {other:?}: use ring or mesh")),
        }
    }
}

impl std::fmt::Display for Fanout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Fanout::Ring => "ring",
            Fanout::Mesh => "mesh",
        })
    }
}

/// The devices `me` dials, out of every member device (`me` among them or
/// not), given what it knows of each one's reachability.
pub fn to_dial(
    me: &str,
    devices: &[String],
    reach: impl Fn(&str) -> Reach,
    fanout: Fanout,
) -> BTreeSet<String> {
    let mut ring: Vec<&str> = devices
        .iter()
        .map(String::as_str)
        .filter(|d| *d != me)
        .collect();
    ring.sort_unstable();
    ring.dedup();
    if fanout == Fanout::Mesh {
        return ring.into_iter().map(str::to_string).collect();
    }
    // The others in ring order, starting just after `me`.
    let start = ring.partition_point(|d| *d < me);
    let successors: Vec<&str> = ring[start..]
        .iter()
        .chain(&ring[..start])
        .copied()
        .collect();
    let mut chosen = BTreeSet::new();
    let mut reachable = 0;
    // The first reachable successors, and the unreachable ones before
    // them (redialed, so they rejoin when they come back).
    for device in &successors {
        chosen.insert(*device);
        if reach(device) != Reach::Unreachable {
            reachable += 1;
            if reachable == SUCCESSORS {
                break;
            }
        }
    }
    // One about half-way round (at distance ⌈ring size / 2⌉), or the first
    // reachable device after it, keeps paths short on a large ring.
    let half = successors.len().div_ceil(2);
    for device in successors.iter().skip(half.saturating_sub(1)) {
        if chosen.insert(*device) && reach(device) != Reach::Unreachable {
            break;
        }
    }
    chosen.into_iter().map(str::to_string).collect()
}

/// The devices `me` syncs with directly on the ring when every device is
/// reachable: those it dials and those that dial it. The others' changes
/// reach it through them.
pub fn neighbours(me: &str, devices: &[String]) -> BTreeSet<String> {
    let reachable = |_: &str| Reach::Untried;
    let mut out = to_dial(me, devices, reachable, Fanout::Ring);
    for other in devices.iter().filter(|d| *d != me) {
        if to_dial(other, devices, reachable, Fanout::Ring).contains(me) {
            out.insert(other.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("d{i:02}")).collect()
    }

    fn all_reachable(_: &str) -> Reach {
        Reach::Untried
    }

    #[test]
    fn a_small_office_is_a_full_mesh() {
        for n in 2..=4 {
            let devices = ring(n);
            for me in &devices {
                let dialed = to_dial(me, &devices, all_reachable, Fanout::Ring);
                assert_eq!(dialed.len(), n - 1, "{n} devices: {me} dials everyone else");
            }
        }
    }

    #[test]
    fn a_large_office_dials_two_successors_and_one_half_way() {
        let devices = ring(20);
        let dialed = to_dial("d05", &devices, all_reachable, Fanout::Ring);
        let expected: BTreeSet<String> = ["d06", "d07", "d15"].map(String::from).into();
        assert_eq!(dialed, expected);
        // Wrapping round the end of the ring.
        let dialed = to_dial("d19", &devices, all_reachable, Fanout::Ring);
        let expected: BTreeSet<String> = ["d00", "d01", "d09"].map(String::from).into();
        assert_eq!(dialed, expected);
        let mesh = to_dial("d05", &devices, all_reachable, Fanout::Mesh);
        assert_eq!(mesh.len(), 19);
        // It is also dialed by its two predecessors and by the one half-way
        // back, d15, which it dials too.
        let expected: BTreeSet<String> =
            ["d03", "d04", "d06", "d07", "d15"].map(String::from).into();
        assert_eq!(neighbours("d05", &devices), expected);
    }

    #[test]
    fn unreachable_successors_are_kept_and_skipped() {
        let devices = ring(20);
        let away = |d: &str| {
            if ["d06", "d07", "d15"].contains(&d) {
                Reach::Unreachable
            } else {
                Reach::Connected
            }
        };
        let dialed = to_dial("d05", &devices, away, Fanout::Ring);
        let expected: BTreeSet<String> = ["d06", "d07", "d08", "d09", "d15", "d16"]
            .map(String::from)
            .into();
        assert_eq!(dialed, expected);
    }

    /// Every device's dials (plus the connections it accepts) join the
    /// reachable devices into one group, whichever half of the office is
    /// away.
    #[test]
    fn the_overlay_stays_connected_on_each_side_of_a_partition() {
        let devices = ring(20);
        for away_from in 0..20 {
            let away: BTreeSet<usize> = (0..10).map(|i| (away_from + i * 2) % 20).collect();
            let up: Vec<usize> = (0..20).filter(|i| !away.contains(i)).collect();
            let reach = |d: &str| {
                let i: usize = d[1..].parse().unwrap_or(0);
                if away.contains(&i) {
                    Reach::Unreachable
                } else {
                    Reach::Untried
                }
            };
            // Links between reachable devices.
            let mut links: Vec<(usize, usize)> = Vec::new();
            for &me in &up {
                for other in to_dial(&devices[me], &devices, reach, Fanout::Ring) {
                    let j: usize = other[1..].parse().unwrap_or(0);
                    if !away.contains(&j) {
                        links.push((me, j));
                    }
                }
            }
            let mut reached = BTreeSet::from([up[0]]);
            loop {
                let before = reached.len();
                for &(a, b) in &links {
                    if reached.contains(&a) || reached.contains(&b) {
                        reached.insert(a);
                        reached.insert(b);
                    }
                }
                if reached.len() == before {
                    break;
                }
            }
            assert_eq!(reached.len(), up.len(), "away: {away:?}");
        }
    }
}
