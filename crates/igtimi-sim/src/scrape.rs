//! Reading the simulator's own HTML forms from a test: the hidden fields and the action of
//! a form, so a scripted browser can sign in and approve as a person would. Only for the
//! simple, regular markup that [`crate::pages`] and the OAuth pages produce.

/// Undoes the HTML escaping of attribute values and text.
pub fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in one tag's text (the part after the element name).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let tag = format!(" {tag}");
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

/// Every `<input type="hidden">` of the page, as (name, value).
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input ")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| attribute(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value")?)))
        .collect()
}

/// The `action` of the form with this id.
pub fn form_action(html: &str, id: &str) -> Option<String> {
    html.split("<form ")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .find(|tag| attribute(tag, "id").as_deref() == Some(id))
        .and_then(|tag| attribute(tag, "action"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hidden_fields_and_actions() {
        let html = r#"<form id="consent" method="post" action="/oauth/authorize">
<input type="hidden" name="state" value="a&amp;b &quot;c&quot;">
<input type="text" name="visible" value="no">
<input type="hidden" name="client_id" value="42"></form>"#;
        assert_eq!(
            hidden_fields(html),
            vec![
                ("state".to_string(), "a&b \"c\"".to_string()),
                ("client_id".to_string(), "42".to_string())
            ]
        );
        assert_eq!(
            form_action(html, "consent").as_deref(),
            Some("/oauth/authorize")
        );
        assert_eq!(form_action(html, "other"), None);
    }
}
