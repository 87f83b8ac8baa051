//! A box for text typed by several people at once (meeting notes, a
//! document's body): what was typed is sent, as the change from the text
//! the box started from, when typing pauses or the box is left; meanwhile
//! the box follows what others write whenever nothing typed here is unsent.

use std::time::Duration;

/// How long typing must pause before the text is sent.
pub const PAUSE: f64 = 0.8;

/// Text being typed into one field of one record, with the text it
/// started from (what the change is computed against).
pub struct TextDraft {
    /// The record the text belongs to.
    pub key: String,
    pub base: String,
    pub text: String,
    /// When it was last typed in, if not yet sent.
    pub typed_at: Option<f64>,
}

impl TextDraft {
    /// Follows the stored text while nothing typed here is unsent.
    pub fn follow(slot: &mut Option<TextDraft>, key: &str, stored: &str) {
        match slot {
            Some(d) if d.key == key => {
                if d.text == d.base && d.typed_at.is_none() && d.base != stored {
                    d.base = stored.to_string();
                    d.text = stored.to_string();
                }
            }
            _ => {
                *slot = Some(TextDraft {
                    key: key.to_string(),
                    base: stored.to_string(),
                    text: stored.to_string(),
                    typed_at: None,
                })
            }
        }
    }
}

/// A change to send: (record, the text seen, the text typed).
pub type TextSend = (String, String, String);

/// How the box looks.
pub struct CoTextBox<'a> {
    pub label: &'a str,
    pub hint: &'a str,
    pub rows: usize,
    pub monospace: bool,
}

/// Shows the box for `key`'s text (`stored` as it is now); returns what to
/// send: text left unsent in another record's box first, then this one's
/// after a pause.
pub fn co_edit(
    ui: &mut egui::Ui,
    slot: &mut Option<TextDraft>,
    key: &str,
    stored: &str,
    look: &CoTextBox<'_>,
) -> Vec<TextSend> {
    let mut out = Vec::new();
    // Another record opened with text still unsent: it goes first.
    if let Some(d) = slot.as_ref()
        && d.key != key
        && d.text != d.base
    {
        out.push((d.key.clone(), d.base.clone(), d.text.clone()));
    }
    TextDraft::follow(slot, key, stored);
    let Some(d) = slot.as_mut() else {
        return out;
    };
    let now = ui.input(|i| i.time);
    let label = ui.strong(look.label);
    let mut edit = egui::TextEdit::multiline(&mut d.text)
        .id_salt((look.label, key))
        .desired_rows(look.rows)
        .desired_width(f32::INFINITY)
        .hint_text(look.hint);
    if look.monospace {
        edit = edit.code_editor();
    }
    let response = ui.add(edit).labelled_by(label.id);
    if response.changed() {
        d.typed_at = Some(now);
    }
    if let Some(at) = d.typed_at {
        if response.lost_focus() || now - at >= PAUSE {
            if d.text != d.base {
                out.push((key.to_string(), d.base.clone(), d.text.clone()));
                d.base = d.text.clone();
            }
            d.typed_at = None;
        } else {
            ui.ctx()
                .request_repaint_after(Duration::from_secs_f64(PAUSE));
        }
    }
    if d.typed_at.is_some() {
        ui.weak("Saving…");
    }
    out
}
