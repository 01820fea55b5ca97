//! A tracing subscriber for the redaction tests.

use std::sync::{Arc, Mutex};

/// A tracing subscriber that writes every span and event field, at every
/// level, into one string.
#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<String>>);

impl Capture {
    fn push(&self, name: &str, record: &dyn Fn(&mut dyn tracing::field::Visit)) {
        struct Text<'a>(&'a mut String);
        impl tracing::field::Visit for Text<'_> {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={value:?} ", field.name()));
            }
        }
        let mut text = self.0.lock().expect("lock");
        text.push_str(name);
        text.push(' ');
        record(&mut Text(&mut text));
        text.push('\n');
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.push(span.metadata().name(), &|v| span.record(v));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.push("record", &|v| values.record(v));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        self.push(event.metadata().name(), &|v| event.record(v));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
