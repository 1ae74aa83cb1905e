//! Ctrl-C and progress during long work.
//!
//! A resampling run (bootstrap, permutations) runs without the GIL on a
//! helper thread while the calling thread checks Python's signals every
//! 50 ms (`Python::check_signals`; only the main thread sees them). On a
//! pending signal — Ctrl-C gives KeyboardInterrupt — it raises a flag; the
//! run's progress callback, called by the library between batches of
//! resamples, sees the flag and stops the run by unwinding with a private
//! payload (`resume_unwind`: no panic message), which the helper thread
//! catches. The calling thread then raises the signal's exception. A Python
//! progress callback rides on the same hook; an exception it raises stops
//! the run the same way and is raised to the caller.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use csikit::analysis::Observer;
use csikit::pls::Progress;
use pyo3::prelude::*;

use crate::errors::OrPy;

/// The payload of the unwinding that stops a cancelled run.
struct Cancelled;

#[derive(Default)]
struct State {
    cancelled: AtomicBool,
    /// The exception of the Python progress callback, if it raised one.
    error: Mutex<Option<PyErr>>,
}

/// The cancellation flag of one run, with the optional Python progress
/// callback `progress(done, total)`.
#[derive(Clone)]
pub(crate) struct Cancel {
    state: Arc<State>,
    progress: Option<Arc<Py<PyAny>>>,
}

impl Cancel {
    fn new(progress: Option<Py<PyAny>>) -> Cancel {
        Cancel {
            state: Arc::default(),
            progress: progress.map(Arc::new),
        }
    }

    /// Called by the library at each progress tick (worker threads): calls
    /// the Python callback, then stops the run if it was cancelled.
    fn tick(&self, p: Progress) {
        if let Some(f) = &self.progress
            && !self.state.cancelled.load(Ordering::Relaxed)
        {
            let outcome = Python::attach(|py| f.call1(py, (p.done, p.total)).map(|_| ()));
            if let Err(e) = outcome {
                if let Ok(mut slot) = self.state.error.lock() {
                    slot.get_or_insert(e);
                }
                self.state.cancelled.store(true, Ordering::Relaxed);
            }
        }
        if self.state.cancelled.load(Ordering::Relaxed) {
            resume_unwind(Box::new(Cancelled));
        }
    }

    /// A progress callback for `Bootstrap::progress` / `MultiGroup::progress`.
    pub(crate) fn callback(&self) -> impl Fn(Progress) + Send + Sync + 'static {
        let me = self.clone();
        move |p| me.tick(p)
    }

    /// An observer for the analysis layer (every resampling run).
    pub(crate) fn observer(&self) -> Observer {
        let me = self.clone();
        Observer::silent().with_progress(0, move |_, p| me.tick(p))
    }
}

/// Runs `work` without the GIL on a helper thread while this thread checks
/// Python's signals; a pending signal (Ctrl-C) stops the run at its next
/// progress tick and is raised here. `progress(done, total)` (a Python
/// callable) is called at each tick of a resampling run.
pub(crate) fn interruptible<T, F>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    work: F,
) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&Cancel) -> csikit::Result<T> + Send,
{
    let cancel = Cancel::new(progress);
    let done = Arc::new((Mutex::new(false), Condvar::new()));
    let mut signal = None;
    let outcome = std::thread::scope(|s| {
        let (c, d) = (cancel.clone(), done.clone());
        let handle = s.spawn(move || {
            let r = catch_unwind(AssertUnwindSafe(|| work(&c)));
            let (lock, cv) = &*d;
            if let Ok(mut finished) = lock.lock() {
                *finished = true;
            }
            cv.notify_all();
            r
        });
        let wait = |timeout: Option<Duration>| {
            let (lock, cv) = &*done;
            let Ok(guard) = lock.lock() else { return true };
            match timeout {
                Some(t) => cv
                    .wait_timeout_while(guard, t, |finished| !*finished)
                    .map_or(true, |(g, _)| *g),
                None => cv.wait_while(guard, |finished| !*finished).is_ok(),
            }
        };
        loop {
            if py.detach(|| wait(Some(Duration::from_millis(50)))) {
                break;
            }
            if let Err(e) = py.check_signals() {
                cancel.state.cancelled.store(true, Ordering::Relaxed);
                signal = Some(e);
                py.detach(|| wait(None));
                break;
            }
        }
        handle.join()
    });
    if let Some(e) = signal {
        return Err(e);
    }
    let callback_error = cancel.state.error.lock().ok().and_then(|mut e| e.take());
    match outcome {
        Ok(Ok(result)) => result.py_err(),
        Ok(Err(payload)) if payload.is::<Cancelled>() => Err(callback_error
            .unwrap_or_else(|| pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted"))),
        Ok(Err(payload)) | Err(payload) => resume_unwind(payload),
    }
}
