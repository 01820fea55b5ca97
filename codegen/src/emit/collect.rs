//! Values collected on the current thread while an operation is emitted.
//!
//! The renderer defers two things until the emitted tokens are parsed and
//! formatted: doc text (`docs::Deferred`) and items built as syn values
//! (`ast::Prebuilt`). Both work the same way: while a [`Collector`] is
//! alive on the thread, emitters [`push`] values and put a placeholder in
//! the tokens; the renderer then takes the values back with
//! [`Collector::end`]. Collectors nest: ending one restores the one that
//! was active before it.

use std::cell::RefCell;
use std::thread::LocalKey;

/// The thread-local slot a kind of value is collected in.
pub type Slot<T> = RefCell<Option<Vec<T>>>;

/// Collects the values pushed to `key` on this thread until it ends or
/// is dropped.
pub struct Collector<T: 'static> {
    key: &'static LocalKey<Slot<T>>,
    previous: Option<Vec<T>>,
    active: bool,
}

impl<T: 'static> Collector<T> {
    /// Starts collecting on this thread.
    pub fn begin(key: &'static LocalKey<Slot<T>>) -> Self {
        let previous = key.with(|slot| slot.borrow_mut().replace(Vec::new()));
        Collector { key, previous, active: true }
    }

    /// Stops collecting and returns the values, in push order; `None` when
    /// already ended.
    pub fn end(&mut self) -> Option<Vec<T>> {
        if !self.active {
            return None;
        }
        self.active = false;
        let previous = self.previous.take();
        Some(self.key.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), previous)).unwrap_or_default())
    }
}

impl<T: 'static> Drop for Collector<T> {
    fn drop(&mut self) {
        self.end();
    }
}

/// Whether a collector for `key` is active on this thread.
pub fn active<T: 'static>(key: &'static LocalKey<Slot<T>>) -> bool {
    key.with(|slot| slot.borrow().is_some())
}

/// Adds `value` to the active collector and returns its index, or returns
/// the value when none is active.
pub fn push<T: 'static>(key: &'static LocalKey<Slot<T>>, value: T) -> Result<usize, T> {
    key.with(|slot| match slot.borrow_mut().as_mut() {
        Some(values) => {
            values.push(value);
            Ok(values.len() - 1)
        }
        None => Err(value),
    })
}
