//! Stopping the long-running commands (`serve`, `devnet`) cleanly. SIGINT and SIGTERM are caught
//! (with `signal-hook`) instead of ending the process at once, so the command can drop its
//! `Devnet`, which kills the nodes, and return. Uncaught, a signal sent to the xtask alone (by a
//! supervisor, `kill`, or CI ending a job) left the nodes running.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use signal_hook::low_level::signal_name;

/// SIGINT and SIGTERM, caught from the moment `listen` returns until the process ends.
pub struct StopSignals {
    received: mpsc::Receiver<i32>,
}

impl StopSignals {
    /// Starts catching SIGINT and SIGTERM. Call it once the slow, interruptible part (building) is
    /// done and just before starting what must be stopped: from here on neither ends the process,
    /// and one that comes while the devnet starts is acted on when the start ends (≈ 30 s).
    pub fn listen() -> Result<Self, String> {
        let mut signals =
            Signals::new([SIGINT, SIGTERM]).map_err(|error| format!("catching SIGINT and SIGTERM: {error}"))?;
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            for signal in signals.forever() {
                if sender.send(signal).is_err() {
                    break;
                }
            }
        });
        Ok(Self { received })
    }

    /// Waits at most `timeout` for a signal and returns its name if one came (or had come since
    /// the last call).
    pub fn wait(&self, timeout: Duration) -> Option<&'static str> {
        match self.received.recv_timeout(timeout) {
            Ok(signal) => Some(signal_name(signal).unwrap_or("a signal")),
            Err(RecvTimeoutError::Timeout) => None,
            // The catching thread never ends while the process runs; if it did, nothing could
            // arrive any more, so this is a plain wait.
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                None
            }
        }
    }

    /// What a failed devnet start means: nothing more than the stop asked for if a signal came
    /// meanwhile (a terminal's Ctrl-C reaches the nodes too, and the runner then fails at once on
    /// their exit), else the error.
    pub fn stopped_while_starting(&self, error: String) -> Result<(), String> {
        match self.wait(Duration::ZERO) {
            Some(signal) => {
                println!("{signal}: stopped while the devnet started");
                Ok(())
            }
            None => Err(error),
        }
    }

    /// Waits until a signal comes and returns its name.
    pub fn wait_forever(&self) -> &'static str {
        loop {
            if let Some(name) = self.wait(Duration::from_secs(3600)) {
                return name;
            }
        }
    }
}
